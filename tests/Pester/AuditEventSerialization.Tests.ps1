# An event written with ConvertTo-Json or Export-Csv holds what the log held: bodies as the JSON they are (not the
# RawJson wrapper's own properties), lists and maps as readable text (not type names).
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/audit.log'
    $events = @(Get-KubeAuditEvent -Path $sample | Where-Object { $_.RequestObject -or $_.ResponseObject } | Select-Object -First 40)

    # A JSON Patch request: its body is an array.
    $patchLog = Join-Path $TestDrive 'patch.log'
    Set-Content $patchLog '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"p1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/app/pods/web","verb":"patch","user":{"username":"alice","groups":["dev","system:authenticated"]},"sourceIPs":["10.0.0.1","10.0.0.2"],"objectRef":{"resource":"pods","namespace":"app","name":"web","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestObject":[{"op":"replace","path":"/metadata/labels/tier","value":"web"},{"op":"remove","path":"/spec/x"}],"requestReceivedTimestamp":"2026-01-05T08:00:00.000000Z","stageTimestamp":"2026-01-05T08:00:00.010000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC"}}'
    $patch = Get-KubeAuditEvent -Path $patchLog

    # JSON text in one canonical form, to compare values rather than spacing.
    function ConvertTo-Canonical($Value) { $Value | ConvertTo-Json -Depth 100 -Compress }
}

Describe 'ConvertTo-Json of an event' {
    It 'has events with bodies to check' {
        $events.Count | Should -BeGreaterThan 10
    }

    It 'writes RequestObject and ResponseObject as the JSON they hold' {
        foreach ($e in $events) {
            $back = $e | ConvertTo-Json -Depth 100 | ConvertFrom-Json -Depth 100
            foreach ($body in 'RequestObject', 'ResponseObject') {
                if ($null -eq $e.$body) { continue }
                ConvertTo-Canonical $back.$body | Should -Be (ConvertTo-Canonical ($e.$body.ToString() | ConvertFrom-Json -Depth 100)) -Because "$body of $($e.AuditId)"
            }
        }
    }

    It 'writes an array body as the array it is' {
        $back = $patch | ConvertTo-Json -Depth 20 | ConvertFrom-Json -Depth 20
        $back.RequestObject.Count | Should -Be 2
        $back.RequestObject[0].op | Should -Be 'replace'
        $back.RequestObject[1].path | Should -Be '/spec/x'
    }

    It 'leaves out the wrapper''s own properties' {
        $text = $events[0] | ConvertTo-Json -Depth 100
        $text | Should -Not -Match '"(Utf8|ValueKind|PropertyNames)"\s*:'
    }

    It 'still reads body members with dot notation' {
        $create = $events | Where-Object { $_.Verb -eq 'create' -and $_.RequestObject.metadata } | Select-Object -First 1
        $create.RequestObject.metadata.name | Should -Not -BeNullOrEmpty
        $patch.RequestObject[0].op | Should -Be 'replace'
    }
}

Describe 'Export-Csv of events' {
    BeforeAll {
        $csv = Join-Path $TestDrive 'events.csv'
        @($patch) + $events | Export-Csv -Path $csv
        $rows = @(Import-Csv $csv)
    }

    It 'writes a row per event' {
        $rows.Count | Should -Be ($events.Count + 1)
    }

    It 'writes no type name in any column' {
        $typeNames = foreach ($row in $rows) {
            foreach ($p in $row.PSObject.Properties) {
                if ($p.Value -match '^(System|KubeAudit)\.[\w.`\[\],]+$') { "$($p.Name) = $($p.Value)" }
            }
        }
        $typeNames | Select-Object -Unique | Should -BeNullOrEmpty
    }

    It 'joins lists and writes maps and bodies readably' {
        $row = $rows[0]
        $row.SourceIPs | Should -Be '10.0.0.1, 10.0.0.2'
        $row.Groups | Should -Be 'dev, system:authenticated'
        $row.User | Should -Be 'alice'
        $row.Annotations | Should -Be 'authorization.k8s.io/decision=allow; authorization.k8s.io/reason=RBAC'
        $row.Decision | Should -Be 'allow'
        ConvertTo-Canonical ($row.RequestObject | ConvertFrom-Json -NoEnumerate) | Should -Be (ConvertTo-Canonical ($patch.RequestObject.ToString() | ConvertFrom-Json -NoEnumerate))
    }

    It 'round-trips every body through the CSV' {
        for ($i = 0; $i -lt $events.Count; $i++) {
            foreach ($body in 'RequestObject', 'ResponseObject') {
                if ($null -eq $events[$i].$body) { $rows[$i + 1].$body | Should -BeNullOrEmpty; continue }
                $rows[$i + 1].$body | Should -Be $events[$i].$body.ToString()
            }
        }
    }
}
