BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit

    $good1 = '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"id-1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/dev/pods","verb":"create","user":{"username":"alice","groups":["devs"]},"objectRef":{"resource":"pods","namespace":"dev","name":"web","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestReceivedTimestamp":"2026-01-05T08:00:00.000000Z","stageTimestamp":"2026-01-05T08:00:00.250000Z"}'
    $good2 = '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"id-2","stage":"ResponseComplete","requestURI":"/healthz","verb":"get","user":{"username":"system:anonymous"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-01-05T08:00:01.000000Z","stageTimestamp":"2026-01-05T08:00:01.000100Z"}'
    $log = Join-Path $TestDrive 'audit.log'
    Set-Content -LiteralPath $log -Value $good1, 'this is not json', '', $good2, '{"kind":"Pod"}'
    $bracketDir = New-Item -ItemType Directory (Join-Path $TestDrive 'logs[1]')
    Set-Content -LiteralPath (Join-Path $bracketDir 'audit.log') -Value $good2
}

Describe 'Get-KubeAuditEvent' {
    Context 'reading' {
        It 'streams typed events with the fields of the line' {
            $events = @(Get-KubeAuditEvent -Path $log -ErrorAction SilentlyContinue)
            $events.Count | Should -Be 2
            $events[0] | Should -BeOfType ([KubeAudit.AuditEvent])
            $events[0].Verb | Should -Be 'create'
            $events[0].Username | Should -Be 'alice'
            $events[0].Namespace | Should -Be 'dev'
            $events[0].Name | Should -Be 'web'
            $events[0].Code | Should -Be 201
            $events[0].Latency | Should -Be ([TimeSpan]::FromMilliseconds(250))
            $events[0].Line | Should -Be 1
            $events[1].Line | Should -Be 4
            $events[1].ObjectRef | Should -BeNullOrEmpty
            $events[0].File | Should -Be $log
        }

        It 'streams: the first event arrives before the file is finished' {
            $big = Join-Path $TestDrive 'many.log'
            [IO.File]::WriteAllLines($big, [string[]](1..20000 | ForEach-Object { $good2 }))
            $first = Get-KubeAuditEvent -Path $big | Select-Object -First 1
            $first.AuditId | Should -Be 'id-2'
        }

        It 'compares timestamps correctly with local times' {
            $e = Get-KubeAuditEvent -Path $log -ErrorAction SilentlyContinue | Select-Object -First 1
            $e.RequestReceivedTimestamp -lt [datetime]::Now | Should -BeTrue
            $e.RequestReceivedTimestamp -eq [DateTimeOffset]::Parse('2026-01-05T09:00:00+01:00') | Should -BeTrue
        }

        It 'reads the sample log shipped in the repository' {
            $events = @(Get-KubeAuditEvent -Path (Join-Path $RepoRoot 'samples/audit.log'))
            $events.Count | Should -Be @([IO.File]::ReadAllLines((Join-Path $RepoRoot 'samples/audit.log'))).Count
            @($events | Where-Object Verb -eq create).Count | Should -BeGreaterThan 0
        }
    }

    Context 'paths' {
        It 'expands wildcards' {
            $events = @(Get-KubeAuditEvent -Path (Join-Path $TestDrive 'aud*.log') -ErrorAction SilentlyContinue)
            $events.Count | Should -Be 2
        }

        It 'takes -LiteralPath with brackets as written' {
            $events = @(Get-KubeAuditEvent -LiteralPath (Join-Path $TestDrive 'logs[1]/audit.log'))
            $events.Count | Should -Be 1
        }

        It 'binds files from Get-ChildItem by PSPath' {
            $events = @(Get-ChildItem -LiteralPath $bracketDir | Get-KubeAuditEvent)
            $events.Count | Should -Be 1
            $events[0].AuditId | Should -Be 'id-2'
        }

        It 'takes paths from the pipeline as strings' {
            @($log, $log | Get-KubeAuditEvent -ErrorAction SilentlyContinue).Count | Should -Be 4
        }

        It 'gives the ordinary not-found error and goes on with the other paths' {
            $events = @(Get-KubeAuditEvent -Path (Join-Path $TestDrive 'missing.log'), $log -ErrorVariable errs -ErrorAction SilentlyContinue)
            $events.Count | Should -Be 2
            $notFound = @($errs | Where-Object { $_.FullyQualifiedErrorId -like 'PathNotFound,*' })
            $notFound.Count | Should -Be 1
            $notFound[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $notFound[0].Exception | Should -BeOfType ([System.Management.Automation.ItemNotFoundException])
        }

        It 'refuses a path on another provider' {
            $null = Get-KubeAuditEvent -Path 'Env:PATH' -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.NotFileSystemPath,*'
        }

        It 'reads the audit logs in a folder' {
            $events = @(Get-KubeAuditEvent -LiteralPath $bracketDir)
            $events.Count | Should -Be 1
        }

        It 'says so when a folder holds no audit logs' {
            $empty = New-Item -ItemType Directory (Join-Path $TestDrive 'empty')
            $null = Get-KubeAuditEvent -LiteralPath $empty -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.NoLogsInFolder,*'
        }
    }

    Context 'bad input' {
        BeforeAll {
            $null = Get-KubeAuditEvent -Path $log -ErrorVariable errs -ErrorAction SilentlyContinue
        }

        It 'writes one non-terminating error per bad line and keeps reading' {
            $errs.Count | Should -Be 2
        }

        It 'gives each error a stable ID, a category and a target with file, line and snippet' {
            $errs[0].FullyQualifiedErrorId | Should -Be 'KubeAudit.InvalidJson,KubeAudit.Commands.GetKubeAuditEventCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errs[0].TargetObject.File | Should -Be $log
            $errs[0].TargetObject.Line | Should -Be 2
            $errs[0].TargetObject.Snippet | Should -Be 'this is not json'
            $errs[0].ErrorDetails.Message | Should -BeLike "$($log):2:*"
            $errs[1].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.NotAnAuditEvent,*'
            $errs[1].CategoryInfo.Category | Should -Be 'InvalidType'
            $errs[1].TargetObject.Line | Should -Be 5
        }

        It 'stops at the first error with -ErrorAction Stop' {
            { Get-KubeAuditEvent -Path $log -ErrorAction Stop } | Should -Throw -ErrorId 'KubeAudit.InvalidJson,*'
        }
    }

    Context 'views' {
        It 'shows the default table with time, user, verb, resource, namespace, name and code' {
            $text = Get-KubeAuditEvent -Path $log -ErrorAction SilentlyContinue | Format-Table | Out-String -Width 200
            $header = ($text -split "`n" | Where-Object { $_ -match '\S' })[0]
            $header | Should -Match 'Time\s+User\s+Verb\s+ResourcePath\s+Namespace\s+Name\s+Code'
            $text | Should -Match 'Jan 05 08:00:00\s+alice\s+create\s+pods\s+dev\s+web\s+201'
            $text | Should -Match 'system:anonymous\s+get\s+/healthz'
        }

        It 'has a list view with the request URI and the source' {
            $text = Get-KubeAuditEvent -Path $log -ErrorAction SilentlyContinue | Select-Object -First 1 | Format-List | Out-String -Width 200
            $text | Should -Match 'RequestUri\s+: /api/v1/namespaces/dev/pods'
            $text | Should -Match ([regex]::Escape("Location         : $($log):1"))
        }

        It 'declares its output type' {
            (Get-Command Get-KubeAuditEvent).OutputType.Name | Should -Contain 'KubeAudit.AuditEvent'
        }
    }
}
