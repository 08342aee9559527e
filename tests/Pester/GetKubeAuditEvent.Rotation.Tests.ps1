# Rotated sets, -Tail and -Follow, on logs cut from the generated sample.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $lines = [IO.File]::ReadAllLines((Join-Path $RepoRoot 'samples/audit.log'))

    function Write-Gzip([string] $Path, [string[]] $Content) {
        $file = [IO.File]::Create($Path)
        $gz = [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionLevel]::Fastest)
        $bytes = [Text.Encoding]::UTF8.GetBytes(($Content -join "`n") + "`n")
        $gz.Write($bytes, 0, $bytes.Length)
        $gz.Dispose(); $file.Dispose()
    }

    # A lumberjack-rotated set: two backups (one compressed) and the active file, written out of order.
    $set = New-Item -ItemType Directory (Join-Path $TestDrive 'set')
    [IO.File]::WriteAllLines((Join-Path $set 'audit.log'), $lines[1200..1999])
    Write-Gzip (Join-Path $set 'audit-2026-01-05T08-10-00.000.log.gz') $lines[600..1199]
    [IO.File]::WriteAllLines((Join-Path $set 'audit-2026-01-05T08-05-00.000.log'), $lines[0..599])
    Set-Content (Join-Path $set 'notes.txt') 'not a log'
    $expectedIds = $lines | ForEach-Object { ($_ | ConvertFrom-Json).auditID }
}

Describe 'Rotated sets' {
    It 'reads a folder oldest backup first, the active file last, .gz included' {
        $ids = @(Get-KubeAuditEvent -LiteralPath $set | ForEach-Object AuditId)
        $ids | Should -Be $expectedIds
    }

    It 'orders a wildcard the same way' {
        $ids = @(Get-KubeAuditEvent -Path (Join-Path $set 'audit*') | ForEach-Object AuditId)
        $ids | Should -Be $expectedIds
    }

    It 'reads nine .gz backups and the live file (as lumberjack leaves them) in time order, every event once' {
        # Backups are read by parallel workers; the order and the counts must be the plain lines'.
        $history = New-Item -ItemType Directory (Join-Path $TestDrive 'history')
        for ($part = 0; $part -lt 10; $part++) {
            $chunk = $lines[($part * 200)..($part * 200 + 199)]
            if ($part -eq 9) { [IO.File]::WriteAllLines((Join-Path $history 'audit.log'), $chunk) }
            else { Write-Gzip (Join-Path $history ('audit-2026-01-05T09-{0:D2}-00.000.log.gz' -f $part)) $chunk }
        }
        $ids = @(Get-KubeAuditEvent -LiteralPath $history | ForEach-Object AuditId)
        $ids | Should -Be $expectedIds
        $creates = @($lines | ConvertFrom-Json | Where-Object verb -EQ create | ForEach-Object auditID)
        $creates.Count | Should -BeGreaterThan 0
        @(Get-KubeAuditEvent -LiteralPath $history -Verb create | ForEach-Object AuditId) | Should -Be $creates
        $times = @(Get-KubeAuditEvent -LiteralPath $history | ForEach-Object Time)
        for ($i = 1; $i -lt $times.Count; $i++) { if ($times[$i] -lt $times[$i - 1]) { throw "event $i is earlier than event $($i - 1)" } }
    }

    It 'names the file each event came from' {
        $files = @(Get-KubeAuditEvent -LiteralPath $set | ForEach-Object { Split-Path -Leaf $_.File } | Select-Object -Unique)
        $files | Should -Be @('audit-2026-01-05T08-05-00.000.log', 'audit-2026-01-05T08-10-00.000.log.gz', 'audit.log')
    }
}

Describe 'Get-KubeAuditEvent -Tail' {
    It 'gives the last N events with their real line numbers' {
        $last = @(Get-KubeAuditEvent -Path (Join-Path $RepoRoot 'samples/audit.log') -Tail 5)
        $last.Count | Should -Be 5
        ($last | ForEach-Object Line) | Should -Be @(1996, 1997, 1998, 1999, 2000)
        ($last | ForEach-Object AuditId) | Should -Be $expectedIds[1995..1999]
    }

    It 'works on compressed backups too' {
        $last = @(Get-KubeAuditEvent -LiteralPath (Join-Path $set 'audit-2026-01-05T08-10-00.000.log.gz') -Tail 3)
        ($last | ForEach-Object AuditId) | Should -Be $expectedIds[1197..1199]
    }

    It 'applies filters to the tail' {
        $last = @(Get-KubeAuditEvent -Path (Join-Path $RepoRoot 'samples/audit.log') -Tail 200 -Verb get)
        $expected = @(Get-KubeAuditEvent -Path (Join-Path $RepoRoot 'samples/audit.log') | Select-Object -Last 200 | Where-Object Verb -eq get)
        ($last | ForEach-Object Line) | Should -Be ($expected | ForEach-Object Line)
    }
}

Describe 'Get-KubeAuditEvent -Follow' {
    It 'streams appended events across a rotation, without loss or repeats, and stops cleanly' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'live')
        $log = Join-Path $dir 'audit.log'
        [IO.File]::WriteAllLines($log, [string[]]$lines[0..99])

        $results = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
        $follow = Start-Background { param($Log, $Results) Get-KubeAuditEvent -Path $Log -Follow | ForEach-Object { $Results.Enqueue($_.AuditId) } } $log, $results
        try {
            Wait-Until { $results.Count -ge 100 } | Should -BeTrue
            # The API server appends, including a line written in two pieces...
            [IO.File]::AppendAllLines($log, [string[]]$lines[100..149])
            $half = $lines[150].Length / 2
            [IO.File]::AppendAllText($log, $lines[150].Substring(0, $half))
            Start-Sleep -Milliseconds 300
            [IO.File]::AppendAllText($log, $lines[150].Substring($half) + "`n")
            # ...then lumberjack rotates: rename, and a new file.
            [IO.File]::AppendAllLines($log, [string[]]$lines[151..199])
            Move-Item $log (Join-Path $dir 'audit-2026-01-05T08-05-00.000.log')
            [IO.File]::WriteAllLines($log, [string[]]$lines[200..299])
            $null = Wait-Until { $results.Count -ge 300 }
            $results.Count | Should -Be 300
            @($results.ToArray()) | Should -Be $expectedIds[0..299]
        }
        finally {
            Stop-Background $follow | Should -BeTrue -Because 'Ctrl+C must end -Follow promptly'
        }
    }

    It 'waits for a file that does not exist yet, saying so in the verbose stream, and reads it from its start' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'later')
        $log = Join-Path $dir 'audit.log'
        $follow = Start-Background { param($Log) Get-KubeAuditEvent -Path $Log -Follow -Verbose | Select-Object -First 5 | ForEach-Object AuditId } $log
        $ps = $follow.PowerShell
        try {
            $null = Wait-Until { $ps.Streams.Verbose.Count -gt 0 -or $follow.Handle.IsCompleted }
            $follow.Handle.IsCompleted | Should -BeFalse -Because 'a missing file is waited for'
            $ps.Streams.Error.Count | Should -Be 0
            "$($ps.Streams.Verbose[0])" | Should -Match 'Waiting for .*audit\.log'
            [IO.File]::WriteAllLines($log, [string[]]$lines[0..4])
            $follow.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(20)) | Should -BeTrue
            @($ps.EndInvoke($follow.Handle)) | Should -Be $expectedIds[0..4]
        }
        finally {
            $null = Stop-Background $follow
        }
    }

    It 'still refuses a missing file in a folder that does not exist' {
        $missing = Join-Path $TestDrive 'no-such-folder/audit.log'
        { Get-KubeAuditEvent -Path $missing -Follow -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
    }

    It 'starts with the last N events with -Tail' {
        $log = Join-Path $TestDrive 'tail-follow.log'
        [IO.File]::WriteAllLines($log, [string[]]$lines[0..49])
        $follow = Start-Background { param($Log) Get-KubeAuditEvent -Path $Log -Wait -Tail 3 | Select-Object -First 3 | ForEach-Object AuditId } $log
        try {
            $follow.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(20)) | Should -BeTrue
            @($follow.PowerShell.EndInvoke($follow.Handle)) | Should -Be $expectedIds[47..49]
        }
        finally {
            $null = Stop-Background $follow
        }
    }
}
