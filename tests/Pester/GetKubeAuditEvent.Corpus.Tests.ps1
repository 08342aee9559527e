# Every JSON-lines file in the corpus: Get-KubeAuditEvent must give one object per event line,
# with the same field values jq reads from the same lines.
BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    # JSON lines: every non-blank line is a whole JSON value on its own (jq reads it line by line).
    # Without jq there is nothing to compare with: the guard test below reports the comparison as skipped.
    $script:JsonLinesFiles = if (-not $JqMissing) { foreach ($file in Get-ChildItem -LiteralPath (Join-Path $Corpus 'events') -File -Recurse | Sort-Object FullName) {
        $lines = @([IO.File]::ReadAllLines($file.FullName) | Where-Object { $_.Trim([char]0xFEFF, ' ', "`t") })
        $parsed = @($lines | jq -c . 2>$null)
        # Cloud-export wrappers (Azure records, CloudWatch messages, Cloud Logging entries) hold events inside; they are compared elsewhere.
        $wrapped = @($parsed | jq -c 'select(type == "object" and (has("records") or has("message") or has("protoPayload")))' 2>$null).Count
        if ($LASTEXITCODE -eq 0 -and $lines.Count -gt 0 -and $parsed.Count -eq $lines.Count -and $wrapped -eq 0) {
            @{ Name = $file.FullName.Substring($Corpus.Length + 1); Path = $file.FullName }
        }
    } }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit

    # What counts as an event line, and the fields compared, in jq. The reader's rules, said independently.
    $script:Select = 'select(type == "object" and ((has("kind") | not) or .kind == "Event") and (has("kind") or has("level") or has("auditID") or has("stage") or has("verb") or has("requestURI")))'
    $script:Project = $Select + ' | {
        kind, apiVersion, level, auditID, stage, requestURI, verb,
        username: .user.username, uid: .user.uid, groups: (.user.groups // []), extra: (.user.extra // {}),
        impersonated: (if .impersonatedUser then {username: .impersonatedUser.username, groups: (.impersonatedUser.groups // [])} else null end),
        sourceIPs: (.sourceIPs // []), userAgent,
        objectRef: (if .objectRef then (.objectRef | {resource, namespace, name, uid,
            apiGroup: (if .apiGroup == null and ((.apiVersion // "") | contains("/")) then (.apiVersion | sub("/[^/]*$"; "")) else .apiGroup end),
            apiVersion: (if .apiGroup == null and ((.apiVersion // "") | contains("/")) then (.apiVersion | sub("^.*/"; "")) else .apiVersion end),
            resourceVersion, subresource}) else null end),
        status: (if .responseStatus then (.responseStatus | {code, status, reason, message}) else null end),
        received: (.requestReceivedTimestamp // .timestamp),
        staged: (.stageTimestamp // .metadata.creationTimestamp),
        annotations: (.annotations // {})
    }'

    function ConvertTo-Utc($Value) {
        if ($null -eq $Value) { return $null }
        if ($Value -is [string]) { $Value = [DateTimeOffset]::Parse($Value, [cultureinfo]::InvariantCulture, [Globalization.DateTimeStyles]::AssumeUniversal) }
        $Value.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss.ffffffZ')
    }

    # Our event, projected onto the same shape as the jq program above.
    function ConvertTo-Projection([KubeAudit.AuditEvent] $E) {
        $ref = $E.ObjectRef
        $st = $E.ResponseStatus
        [ordered]@{
            kind = $E.Kind; apiVersion = $E.ApiVersion; level = $E.Level; auditID = $E.AuditId; stage = $E.Stage
            requestURI = $E.RequestUri; verb = $E.Verb
            username = $E.User.Username; uid = $E.User.Uid; groups = @($E.User.Groups); extra = $E.User.Extra
            impersonated = if ($E.ImpersonatedUser) { [ordered]@{ username = $E.ImpersonatedUser.Username; groups = @($E.ImpersonatedUser.Groups) } } else { $null }
            sourceIPs = @($E.SourceIPs); userAgent = $E.UserAgent
            objectRef = if ($ref) { [ordered]@{ resource = $ref.Resource; namespace = $ref.Namespace; name = $ref.Name; uid = $ref.Uid; apiGroup = $ref.ApiGroup; apiVersion = $ref.ApiVersion; resourceVersion = $ref.ResourceVersion; subresource = $ref.Subresource } } else { $null }
            status = if ($st) { [ordered]@{ code = $st.Code; status = $st.Status; reason = $st.Reason; message = $st.Message } } else { $null }
            received = ConvertTo-Utc $E.RequestReceivedTimestamp
            staged = ConvertTo-Utc $E.StageTimestamp
            annotations = $E.Annotations
        }
    }

    function ConvertFrom-JqLine([string] $Line) {
        $h = $Line | ConvertFrom-Json -AsHashtable -DateKind String
        $h.received = ConvertTo-Utc $h.received
        $h.staged = ConvertTo-Utc $h.staged
        $h
    }

    function Format-Canonical($Object) { $Object | ConvertTo-Json -Compress -Depth 20 }
}

Describe 'Get-KubeAuditEvent on corpus file <Name>' -ForEach $JsonLinesFiles {
    BeforeAll {
        $events = @(Get-KubeAuditEvent -LiteralPath $Path -ErrorVariable readErrors -ErrorAction SilentlyContinue)
        $expected = @(jq -c $Project $Path)
    }

    It 'emits one object per event line' {
        $LASTEXITCODE | Should -Be 0
        $events.Count | Should -Be $expected.Count
    }

    It 'reports every other non-blank line as an error, with its line number' {
        $nonBlank = @([IO.File]::ReadAllLines($Path) | Where-Object { $_.Trim([char]0xFEFF, ' ', "`t") }).Count
        $readErrors.Count | Should -Be ($nonBlank - $expected.Count)
        foreach ($err in $readErrors) {
            $err.FullyQualifiedErrorId | Should -Match '^KubeAudit\.(InvalidEventField|NotAnAuditEvent|InvalidJson),KubeAudit\.Commands\.GetKubeAuditEventCommand$'
            $err.TargetObject.File | Should -Be $Path
            $err.TargetObject.Line | Should -BeGreaterThan 0
        }
    }

    It 'reads the same field values as jq' {
        for ($i = 0; $i -lt $expected.Count; $i++) {
            $ours = Format-Canonical (ConvertTo-Projection $events[$i])
            $theirs = Format-Canonical (ConvertFrom-JqLine $expected[$i])
            $ours | Should -Be $theirs -Because "event $i (line $($events[$i].Line)) of $Name"
        }
    }

    It 'keeps request and response bodies equal to what jq reads' {
        foreach ($body in 'requestObject', 'responseObject') {
            $theirs = @(jq -c "$Select | .$body" $Path)
            $raw = foreach ($e in $events) { $o = $e.$body; if ($null -eq $o) { 'null' } else { $o.ToString() } }
            $ours = @($raw | jq -c .)
            $ours.Count | Should -Be $theirs.Count
            for ($i = 0; $i -lt $theirs.Count; $i++) {
                $ours[$i] | Should -BeExactly $theirs[$i] -Because "$body of event $i of $Name"
            }
        }
    }
}

Describe 'The corpus comparison itself' -ForEach @(@{ FileCount = @($JsonLinesFiles).Count }) {
    It 'covers the JSON-lines files of the corpus' {
        # Guards against a moved corpus or a broken jq turning the comparison above into nothing.
        Skip-UnlessTool jq
        $FileCount | Should -BeGreaterOrEqual 55
    }
}

Describe 'Get-KubeAuditEvent on the whole corpus, every shape' {
    BeforeAll {
        $files = Get-ChildItem -LiteralPath (Join-Path $Corpus 'events') -File -Recurse
        $events = @($files | Get-KubeAuditEvent -ErrorVariable readErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
    }

    It 'reads every event PROVENANCE counts, merging legacy response lines into their requests' {
        # PROVENANCE: 1287 events and legacy lines; 2 legacy response lines merge into their requests,
        # fal_01_003.json is malformed on purpose, and guide-example-event.json was added after the count.
        $events.Count | Should -Be (1287 - 2 - 1 + 1)
    }

    It 'reports only the deliberately malformed file' {
        $readErrors.Count | Should -Be 1
        $readErrors[0].TargetObject.File | Should -BeLike '*fal_01_003.json'
    }

    It 'reads the AKS Event Hubs wrapper like the unwrapped lines' {
        $wrapped = @(Get-KubeAuditEvent -LiteralPath (Join-Path $Corpus 'events/sysdig-aks-eventhub-wrapped-event.json'))
        $plain = @(Get-KubeAuditEvent -LiteralPath (Join-Path $Corpus 'events/sysdig-aks-eventhub-unwrapped.jsonl'))
        $wrapped.Count | Should -Be 22
        ($wrapped | ForEach-Object AuditId) | Should -Be ($plain | ForEach-Object AuditId)
    }

    It 'reads pretty-printed single events with a BOM' {
        Skip-UnlessTool jq
        $e = @(Get-KubeAuditEvent -LiteralPath (Join-Path $Corpus 'events/sysdig-aks-sample_KubeAuditLog_event.json'))
        $e.Count | Should -Be 1
        $e[0].AuditId | Should -Be (jq -r .auditID (Join-Path $Corpus 'events/sysdig-aks-sample_KubeAuditLog_event.json'))
    }

    It 'reads legacy text lines' {
        $e = @(Get-KubeAuditEvent -LiteralPath (Join-Path $Corpus 'events/k8s-website-docs/k8s-website-docs-2017b-legacy-advanced-audit.log'))
        $e.Count | Should -Be 2
        $e | ForEach-Object { $_.AuditId | Should -Not -BeNullOrEmpty }
    }
}
