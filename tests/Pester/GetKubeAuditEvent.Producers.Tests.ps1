# Events from other producers (GKE Cloud Logging, AKS, OpenShift ViaQ, OpenTelemetry, collectors' message
# fields), from the hand-written fixtures in fixtures/producers: read against jq field by field, and the
# same from a file as from text.
BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $script:Fixtures = foreach ($f in Get-ChildItem (Join-Path $PSScriptRoot 'fixtures/producers') -File | Where-Object Extension -ne '.md' | Sort-Object Name) {
        @{ Name = $f.Name; Path = $f.FullName }
    }
    $script:HasJq = [bool](Get-Command jq -ErrorAction SilentlyContinue)
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit

    # Each producer's record down to the events it holds, said in jq on its own terms (not our reader's).
    $script:Unwrap = @'
def anyv: if has("stringValue") then .stringValue elif has("intValue") then (.intValue | tonumber)
  elif has("boolValue") then .boolValue elif has("doubleValue") then .doubleValue
  elif has("arrayValue") then [.arrayValue.values[] | anyv]
  elif has("kvlistValue") then ((.kvlistValue.values // []) | map({(.key): (.value | anyv)}) | add // {}) else null end;
def grpc: {"0":200,"1":499,"3":400,"4":504,"5":404,"6":409,"7":403,"8":429,"9":400,"10":409,"11":400,"12":501,"13":500,"14":503,"16":401}[(. // 0) | tostring];
def gke: .protoPayload as $p | select($p.serviceName == "k8s.io" or ($p.methodName // "" | startswith("io.k8s."))) | ($p.resourceName // "" | split("/")) as $r
  | ($p.methodName | split(".")) as $m
  | {auditID: .insertId, verb: $m[-1], user: $p.authenticationInfo.principalEmail,
     resource: (if ($r | length) == 0 then $m[-2] elif $r[2] == "namespaces" and ($r | length) > 4 then $r[4] else $r[2] end),
     namespace: (if $r[2] == "namespaces" and ($r | length) > 3 then $r[3] else null end),
     code: ($p.status.code | grpc), stage: "ResponseComplete", time: .timestamp};
def event: {auditID, verb, user: .user.username, resource: .objectRef.resource, namespace: .objectRef.namespace,
     code: .responseStatus.code, stage, time: .requestReceivedTimestamp};
def events: if has("protoPayload") then gke
  elif has("resourceLogs") then .resourceLogs[].scopeLogs[].logRecords[].body | (if has("stringValue") then .stringValue | fromjson else anyv end) | events
  elif has("records") then .records[] | events
  elif (.properties.log | type) == "object" then .properties.log | events
  elif (.properties.log | type) == "string" then .properties.log | fromjson | events
  elif has("verb") or has("auditID") then event
  elif (.message | type) == "string" then .message | fromjson | events
  else empty end;
if type == "array" then .[] else . end | events
'@

    function ConvertTo-Utc($Value) {
        if ($null -eq $Value) { return $null }
        if ($Value -is [string]) { $Value = [DateTimeOffset]::Parse($Value, [cultureinfo]::InvariantCulture, [Globalization.DateTimeStyles]::AssumeUniversal) }
        $Value.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss.ffffffZ')
    }

    function Format-Event($E) {
        [ordered]@{ auditID = $E.AuditId; verb = $E.Verb; user = $E.Username; resource = $E.Resource; namespace = $E.Namespace
            code = $E.Code; stage = $E.Stage; time = ConvertTo-Utc $E.RequestReceivedTimestamp } | ConvertTo-Json -Compress
    }

    function Format-Jq([string] $Line) {
        $h = $Line | ConvertFrom-Json -AsHashtable -DateKind String
        [ordered]@{ auditID = $h.auditID; verb = $h.verb; user = $h.user; resource = $h.resource; namespace = $h.namespace
            code = $h.code; stage = $h.stage; time = ConvertTo-Utc $h.time } | ConvertTo-Json -Compress
    }
}

Describe 'Get-KubeAuditEvent on producer fixture <Name>' -ForEach $Fixtures {
    BeforeAll {
        $events = @(Get-KubeAuditEvent -LiteralPath $Path -ErrorVariable readErrors -ErrorAction SilentlyContinue)
    }

    It 'agrees with jq field by field, record for record' -Skip:(-not $HasJq) {
        $expected = @(jq -c $Unwrap $Path)
        $LASTEXITCODE | Should -Be 0
        $events.Count | Should -Be $expected.Count
        for ($i = 0; $i -lt $expected.Count; $i++) {
            Format-Event $events[$i] | Should -Be (Format-Jq $expected[$i]) -Because "event $i (line $($events[$i].Line)) of $Name"
        }
    }

    It 'gives the same events and errors from ConvertFrom-KubeAuditEvent on the same text' {
        $fromText = @(Get-Content -LiteralPath $Path | ConvertFrom-KubeAuditEvent -ErrorVariable textErrors -ErrorAction SilentlyContinue)
        ($fromText | ForEach-Object { "$($_.Line) $(Format-Event $_)" }) | Should -Be ($events | ForEach-Object { "$($_.Line) $(Format-Event $_)" })
        ($textErrors | ForEach-Object { "$($_.TargetObject.Line) $($_.Exception.Message)" }) | Should -Be ($readErrors | ForEach-Object { "$($_.TargetObject.Line) $($_.Exception.Message)" })
    }
}

Describe 'Producer shapes through the commands' {
    BeforeAll {
        $dir = Join-Path $PSScriptRoot 'fixtures/producers'
    }

    It 'reports a GKE cluster operation inside a collector message by what it is' {
        $null = Get-KubeAuditEvent -LiteralPath (Join-Path $dir 'collector-message.jsonl') -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'KubeAudit.NotAnAuditEvent,KubeAudit.Commands.GetKubeAuditEventCommand'
        $errs[0].Exception.Message | Should -BeLike 'In a GKE entry inside the message string: The input is not an audit event: a GKE cluster operation*'
        $errs[0].TargetObject.Line | Should -Be 4
    }

    It 'takes the level of a ViaQ record from k8s_audit_level' {
        $e = @(Get-KubeAuditEvent -LiteralPath (Join-Path $dir 'openshift-viaq.jsonl'))
        $e.Level | Should -Be @('Metadata', 'Request', 'Metadata')
    }

    It 'finds the exec and the host path in GKE entries that carry no status, and not GKE''s own identities' {
        $findings = @(Get-KubeAuditEvent -LiteralPath (Join-Path $dir 'gke-entries.jsonl') -ErrorAction SilentlyContinue | Find-KubeAuditThreat)
        $findings.Rule | Should -Contain 'Pod.Exec'
        $findings.Rule | Should -Contain 'Pod.SensitiveHostPath'
        $findings | Where-Object Rule -eq 'Secret.ReadByUnusualIdentity' | Should -BeNullOrEmpty
    }
}

Describe 'Not an audit log' {
    BeforeAll {
        $random = Join-Path $TestDrive 'random.bin'
        $bytes = [byte[]]::new(300KB); [Random]::new(11).NextBytes($bytes); [IO.File]::WriteAllBytes($random, $bytes)
        $text = Join-Path $TestDrive 'notes.txt'
        Set-Content -LiteralPath $text -Value (1..2000 | ForEach-Object { "note $_ with a bell `a and an escape `e[31m" })
    }

    It 'gives one NotAnAuditLog error for <Kind>' -ForEach @(@{ Kind = 'random.bin' }, @{ Kind = 'notes.txt' }) {
        $path = Join-Path $TestDrive $Kind
        $e = @(Get-KubeAuditEvent -LiteralPath $path -ErrorVariable errs -ErrorAction SilentlyContinue)
        $e.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'KubeAudit.NotAnAuditLog,KubeAudit.Commands.GetKubeAuditEventCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidType'
        $shown = ($errs[0] | Out-String) + $errs[0].ErrorDetails.Message + $errs[0].ErrorDetails.RecommendedAction
        $shown | Should -Not -Match '[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFD]'
    }

    It 'gives the same one error from ConvertFrom-KubeAuditEvent' {
        $null = Get-Content -LiteralPath $text | ConvertFrom-KubeAuditEvent -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'KubeAudit.NotAnAuditLog,KubeAudit.Commands.ConvertFromKubeAuditEventCommand'
    }

    It 'still reads the next file' {
        $e = @(Get-KubeAuditEvent -LiteralPath $random, (Join-Path $RepoRoot 'samples/audit.log') -ErrorAction SilentlyContinue | Select-Object -First 5)
        $e.Count | Should -Be 5
    }
}
