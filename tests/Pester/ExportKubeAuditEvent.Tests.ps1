BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/audit.log'
}

Describe 'Export-KubeAuditEvent' {
    Context '-Format Ecs' {
        BeforeAll {
            # Every JSON-lines event file of the corpus, plus the sample: real events of every producer we read.
            $files = @(Get-ChildItem (Join-Path $Corpus 'events') -Recurse -File -Include *.log, *.jsonl | Select-Object -ExpandProperty FullName) + $sample
            $events = @($files | ForEach-Object { Get-KubeAuditEvent -LiteralPath $_ -ErrorAction SilentlyContinue } | Where-Object { $_.ToJson().StartsWith('{') })
            $out = Join-Path $TestDrive 'corpus.ecs.ndjson'
            $events | Export-KubeAuditEvent -Path $out -Format Ecs -IncludeOriginal
            $lines = @(Get-Content -LiteralPath $out)
        }

        It 'writes one line per event' {
            $events.Count | Should -BeGreaterThan 500
            $lines.Count | Should -Be $events.Count
        }

        It 'writes every line as valid JSON with the event''s own values' {
            for ($i = 0; $i -lt $lines.Count; $i++) {
                $e = $events[$i]
                $doc = $lines[$i] | ConvertFrom-Json -AsHashtable -DateKind String -ErrorAction Stop
                $audit = $doc.kubernetes.audit
                $where = $e.Location
                $doc.event.original | Should -BeExactly $e.ToJson() -Because $where
                $doc.event.kind | Should -Be 'event'
                $doc.event.action | Should -Be ($e.Verb ? $e.Verb : $null) -Because $where
                $audit.auditID | Should -Be ($e.AuditId ? $e.AuditId : $null) -Because $where
                $audit.verb | Should -Be ($e.Verb ? $e.Verb : $null) -Because $where
                $doc.user.name | Should -Be ($e.Username ? $e.Username : $null) -Because $where
                $doc.http.response.status_code | Should -Be $e.Code -Because $where
                $doc.orchestrator.resource.type | Should -Be ($e.Resource ? $e.Resource : $null) -Because $where
                $doc.orchestrator.namespace | Should -Be ($e.Namespace ? $e.Namespace : $null) -Because $where
                if ($e.Time) {
                    [DateTimeOffset]::Parse($doc['@timestamp'], [Globalization.CultureInfo]::InvariantCulture) | Should -Be $e.Time -Because $where
                }
                if ($e.Annotations.Count -gt 0) {
                    foreach ($key in $e.Annotations.Keys | Where-Object { $e.Annotations[$_] }) {
                        $audit.annotations[$key.Replace('.', '_')] | Should -BeExactly $e.Annotations[$key] -Because "$where $key"
                    }
                }
            }
        }

        It 'leaves event.original out unless asked' {
            $plain = Join-Path $TestDrive 'plain.ecs.ndjson'
            Get-KubeAuditEvent -Path $sample | Export-KubeAuditEvent -Path $plain -Format Ecs
            $docs = @(Get-Content -LiteralPath $plain | ConvertFrom-Json -AsHashtable)
            $docs.Count | Should -Be @(Get-KubeAuditEvent -Path $sample).Count
            @($docs | Where-Object { $_.event.ContainsKey('original') }).Count | Should -Be 0
        }

        It 'refuses -IncludeOriginal without -Format Ecs, and writes nothing' {
            $target = Join-Path $TestDrive 'refused.log'
            { Get-KubeAuditEvent -Path $sample | Export-KubeAuditEvent -Path $target -IncludeOriginal } | Should -Throw -ErrorId 'KubeAudit.IncludeOriginalNeedsEcs,*'
            Test-Path $target | Should -BeFalse
        }
    }

    It 'writes every event back byte for byte' {
        $out = Join-Path $TestDrive 'roundtrip.log'
        Get-KubeAuditEvent -Path $sample | Export-KubeAuditEvent -Path $out
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $sample).Hash
    }

    It 'writes a filtered subset that is still a valid audit log for jq' {
        Skip-UnlessTool jq
        $out = Join-Path $TestDrive 'creates.log'
        Get-KubeAuditEvent -Path $sample -Verb create | Export-KubeAuditEvent -Path $out
        $expected = @(jq -c 'select(.verb == "create")' $sample)
        $written = @(jq -c . $out)
        $written.Count | Should -BeGreaterThan 0
        $written | Should -Be $expected
        @(Get-KubeAuditEvent -Path $out).Count | Should -Be $expected.Count
    }

    It 'compresses with -Compress, and readers decompress it' {
        $out = Join-Path $TestDrive 'creates.log.gz'
        Get-KubeAuditEvent -Path $sample -Verb create | Export-KubeAuditEvent -Path $out -Compress
        $bytes = [IO.File]::ReadAllBytes($out)
        $bytes[0..1] | Should -Be @(0x1F, 0x8B)
        @(Get-KubeAuditEvent -Path $out).Count | Should -Be @(Get-KubeAuditEvent -Path $sample -Verb create).Count
        Skip-UnlessTool gzip, jq
        @(gzip -dc $out | jq -c .).Count | Should -Be @(Get-KubeAuditEvent -Path $sample -Verb create).Count
    }

    It 'appends with -Append' {
        $out = Join-Path $TestDrive 'append.log'
        Get-KubeAuditEvent -Path $sample -Verb create | Export-KubeAuditEvent -Path $out
        Get-KubeAuditEvent -Path $sample -Verb delete | Export-KubeAuditEvent -Path $out -Append
        $verbs = @(Get-KubeAuditEvent -Path $out | ForEach-Object Verb | Select-Object -Unique)
        $verbs | Should -Be @('create', 'delete')
    }

    It 'keeps an existing file with -NoClobber' {
        $out = Join-Path $TestDrive 'keep.log'
        Set-Content $out 'precious'
        { Get-KubeAuditEvent -Path $sample -Verb create | Export-KubeAuditEvent -Path $out -NoClobber } | Should -Throw -ErrorId 'KubeAudit.FileExists,*'
        Get-Content $out | Should -Be 'precious'
    }

    It 'changes nothing with -WhatIf' {
        $out = Join-Path $TestDrive 'whatif.log'
        Get-KubeAuditEvent -Path $sample -Verb create | Export-KubeAuditEvent -Path $out -WhatIf
        Test-Path $out | Should -BeFalse
    }

    It 'leaves the old file byte-identical and no temporary file when the pipeline fails' {
        $out = Join-Path $TestDrive 'old.log'
        Get-KubeAuditEvent -Path $sample -Verb delete | Export-KubeAuditEvent -Path $out
        $before = (Get-FileHash $out).Hash
        { Get-KubeAuditEvent -Path $sample | ForEach-Object { if ($_.Line -eq 50) { throw 'boom' }; $_ } | Export-KubeAuditEvent -Path $out } | Should -Throw
        (Get-FileHash $out).Hash | Should -Be $before
        @(Get-ChildItem $TestDrive -Force -Filter '.old.log.*') | Should -BeNullOrEmpty
    }

    It 'outputs the file with -PassThru' {
        $out = Join-Path $TestDrive 'passthru.log'
        $file = Get-KubeAuditEvent -Path $sample -Verb create | Export-KubeAuditEvent -Path $out -PassThru
        $file | Should -BeOfType ([IO.FileInfo])
        $file.FullName | Should -Be $out
    }
}

Describe 'Request and response bodies' {
    BeforeAll {
        $withBody = Get-KubeAuditEvent -Path $sample -Verb create | Where-Object RequestObject | Select-Object -First 1
    }

    It 'stay raw JSON text until asked for' {
        $withBody.RequestObject | Should -BeOfType ([KubeAudit.RawJson])
        $withBody.RequestObject.ToString() | Should -BeLike '{*}'
    }

    It 'read like objects with dot-notation' {
        $parsed = $withBody.RequestObject.ToString() | ConvertFrom-Json
        $withBody.RequestObject.kind | Should -Be $parsed.kind
        $withBody.RequestObject.metadata.name | Should -Be $parsed.metadata.name
        $withBody.RequestObject.nosuchfield | Should -BeNullOrEmpty
    }

    It 'index arrays' {
        $pod = Get-KubeAuditEvent -Path $sample -Resource pods -Verb create | Where-Object { $_.RequestObject.kind -eq 'Pod' } | Select-Object -First 1
        $pod | Should -Not -BeNullOrEmpty
        $expected = ($pod.RequestObject.ToString() | ConvertFrom-Json).spec.containers[0].image
        $pod.RequestObject.spec.containers[0].image | Should -Be $expected
    }
}
