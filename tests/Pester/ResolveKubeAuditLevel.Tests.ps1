BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/audit-policy.yaml'
    $log = Join-Path $RepoRoot 'samples/audit.log'

    # Simple rules, and the same rules written out in PowerShell: first match wins, lists are ORed,
    # fields are ANDed, no user fails users/userGroups, resource rules never match non-resource URLs.
    $simple = Join-Path $TestDrive 'simple.yaml'
    Set-Content -LiteralPath $simple @'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: None
    nonResourceURLs: ["/readyz*", "/livez"]
  - level: None
    users: ["system:kube-scheduler"]
    verbs: ["update"]
  - level: RequestResponse
    userGroups: ["system:masters", "kubeadm:cluster-admins"]
    verbs: ["delete", "create"]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "pods/log", "configmaps"]
  - level: Request
    namespaces: ["kube-system"]
    verbs: ["patch", "update"]
  - level: Request
    resources:
      - group: apps
  - level: None
    verbs: ["watch"]
  - level: Metadata
    omitStages: ["ResponseStarted"]
'@
    $simpleLevels = 'None', 'None', 'RequestResponse', 'Metadata', 'Request', 'Request', 'None', 'Metadata'

    function Get-ExpectedRule($e) {
        $hasUser = [bool]$e.User.Username -or $e.User.Groups.Count -gt 0
        $isResource = $null -ne $e.ObjectRef
        $path = ($e.RequestUri -split '\?')[0]
        $combined = if ($isResource) { if ($e.ObjectRef.Subresource) { "$($e.ObjectRef.Resource)/$($e.ObjectRef.Subresource)" } else { $e.ObjectRef.Resource } }
        if (-not $isResource -and ($path -clike '/readyz*' -or $path -ceq '/livez')) { return 0 }
        if ($hasUser -and $e.User.Username -ceq 'system:kube-scheduler' -and $e.Verb -ceq 'update') { return 1 }
        if ($hasUser -and ($e.User.Groups | Where-Object { $_ -cin 'system:masters', 'kubeadm:cluster-admins' }) -and $e.Verb -cin 'delete', 'create') { return 2 }
        if ($isResource -and "$($e.ObjectRef.ApiGroup)" -ceq '' -and $combined -cin 'secrets', 'pods/log', 'configmaps') { return 3 }
        if ($isResource -and "$($e.ObjectRef.Namespace)" -ceq 'kube-system' -and $e.Verb -cin 'patch', 'update') { return 4 }
        if ($isResource -and "$($e.ObjectRef.ApiGroup)" -ceq 'apps') { return 5 }
        if ($e.Verb -ceq 'watch') { return 6 }
        return 7
    }
}

Describe 'Resolve-KubeAuditLevel' {
    Context 'from parameters' {
        It 'gives <Expected> by rule <Rule> for <Description>' -ForEach @(
            @{ Description = 'get secrets'; Params = @{ Verb = 'get'; Resource = 'secrets'; Namespace = 'default'; Name = 'db' }; Expected = 'Metadata'; Rule = 2 }
            @{ Description = 'create pods/exec'; Params = @{ Verb = 'create'; Resource = 'pods/exec'; Namespace = 'default'; Name = 'web-0' }; Expected = 'Metadata'; Rule = 3 }
            @{ Description = 'create pods, exec as -Subresource'; Params = @{ Verb = 'create'; Resource = 'pods'; Subresource = 'exec'; Namespace = 'default' }; Expected = 'Metadata'; Rule = 3 }
            @{ Description = 'update a lease'; Params = @{ Verb = 'update'; Resource = 'leases'; ApiGroup = 'coordination.k8s.io'; Namespace = 'kube-system' }; Expected = 'None'; Rule = 1 }
            @{ Description = 'create a deployment'; Params = @{ Verb = 'CREATE'; Resource = 'deployments'; ApiGroup = 'apps'; Namespace = 'default' }; Expected = 'Request'; Rule = 5 }
            @{ Description = 'list pods'; Params = @{ Verb = 'list'; Resource = 'pods' }; Expected = 'Metadata'; Rule = 4 }
            @{ Description = 'escalate a role'; Params = @{ Verb = 'escalate'; Resource = 'roles'; ApiGroup = 'rbac.authorization.k8s.io' }; Expected = 'Metadata'; Rule = 6 }
            @{ Description = 'GET /healthz/etcd'; Params = @{ Verb = 'get'; NonResourceUrl = '/healthz/etcd?verbose' }; Expected = 'None'; Rule = 0 }
            @{ Description = 'GET /metrics'; Params = @{ Verb = 'get'; NonResourceUrl = '/metrics' }; Expected = 'Metadata'; Rule = 4 }
        ) {
            $decision = Resolve-KubeAuditLevel -Policy $sample @Params -User alice -Group system:authenticated
            $decision | Should -BeOfType ([KubeAudit.AuditLevelDecision])
            $decision.Level | Should -Be $Expected
            $decision.RuleIndex | Should -Be $Rule
            $decision.Rule.Index | Should -Be $Rule
            (Get-Content $sample)[$decision.RuleLine - 1] | Should -Match '^\s*- level:'
            $decision.OmitStages | Should -Be @('RequestReceived')
            $decision.Event | Should -BeNullOrEmpty
        }

        It 'builds the request it evaluated' {
            $r = (Resolve-KubeAuditLevel $sample -Verb create -Resource pods/exec -Namespace web -Name api-0 -User bob -Group devs, system:authenticated).Request
            $r.IsResourceRequest | Should -BeTrue
            ($r.Resource, $r.Subresource, $r.Namespace, $r.Name, $r.User, $r.Verb) | Should -Be @('pods', 'exec', 'web', 'api-0', 'bob', 'create')
            $r.Groups | Should -Be @('devs', 'system:authenticated')
        }

        It 'has no user without -User and -Group, so user rules do not match' {
            $policy = Join-Path $TestDrive 'users.yaml'
            Set-Content $policy "apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n- level: RequestResponse`n  users: ['']`n- level: Metadata"
            $decision = Resolve-KubeAuditLevel $policy -Verb get -Resource pods
            $decision.Request.User | Should -BeNullOrEmpty
            $decision.RuleIndex | Should -Be 1
            (Resolve-KubeAuditLevel $policy -Verb get -Resource pods -Group x).RuleIndex | Should -Be 0
        }

        It 'gives None and the policy stages when no rule matches' {
            $policy = Join-Path $TestDrive 'nomatch.yaml'
            Set-Content $policy "apiVersion: audit.k8s.io/v1`nkind: Policy`nomitStages: [Panic]`nrules:`n- level: Metadata`n  verbs: [delete]"
            $decision = Resolve-KubeAuditLevel $policy -Verb get -Resource pods
            $decision.Level | Should -Be 'None'
            $decision.RuleIndex | Should -BeNullOrEmpty
            $decision.OmitStages | Should -Be @('Panic')
        }

        It 'refuses a resource with two subresources' {
            { Resolve-KubeAuditLevel $sample -Verb get -Resource pods/log -Subresource exec -ErrorAction Stop } |
                Should -Throw -ErrorId 'KubeAudit.InvalidRequest,KubeAudit.Commands.ResolveKubeAuditLevelCommand'
        }
    }

    Context 'from logged events' {
        BeforeAll {
            $events = @(Get-KubeAuditEvent -Path $log)
            $decisions = @($events | Resolve-KubeAuditLevel -Policy $simple)
        }

        It 'returns one decision per event, carrying the event' {
            $decisions.Count | Should -Be $events.Count
            for ($i = 0; $i -lt $events.Count; $i += 97) {
                [object]::ReferenceEquals($decisions[$i].Event, $events[$i]) | Should -BeTrue
            }
        }

        It 'agrees with a PowerShell reimplementation of the rules on every event' {
            $mismatches = for ($i = 0; $i -lt $events.Count; $i++) {
                $expected = Get-ExpectedRule $events[$i]
                if ($decisions[$i].RuleIndex -ne $expected -or $decisions[$i].Level -ne $simpleLevels[$expected]) {
                    "line $($events[$i].Line): rule $($decisions[$i].RuleIndex) $($decisions[$i].Level), expected $expected"
                }
            }
            $mismatches | Should -BeNullOrEmpty
            # The sample log reaches every rule, so each one was compared.
            ($decisions | Group-Object RuleIndex).Count | Should -Be 8
        }

        It 'joins the rule stages with the policy stages' {
            ($decisions | Where-Object RuleIndex -eq 7 | Select-Object -First 1).OmitStages | Should -Be @('RequestReceived', 'ResponseStarted')
            ($decisions | Where-Object RuleIndex -eq 3 | Select-Object -First 1).OmitStages | Should -Be @('RequestReceived')
        }

        It 'gives the same decisions for a policy object, a file or a resolved path as for its path' {
            $expected = $decisions | ForEach-Object RuleIndex
            foreach ($policy in (Get-KubeAuditPolicy $simple), (Get-Item $simple), (Resolve-Path $simple)) {
                $again = @($events | Resolve-KubeAuditLevel -Policy $policy)
                ($again | ForEach-Object RuleIndex) | Should -Be $expected
            }
        }

        It 'shows events in a table with the level logged and the new level' {
            $text = $decisions | Select-Object -First 3 | Format-Table | Out-String -Width 200
            $text | Should -Match 'LoggedLevel\s+Level\s+RuleIndex\s+Verb\s+Resource\s+User'
            $text | Should -Match 'RequestResponse\s+Metadata\s+7\s+get\s+pods\s+kubernetes-admin'
        }
    }

    Context 'policy errors' {
        It 'stops on a policy the API server would refuse, with its findings' {
            $bad = Join-Path $TestDrive 'bad.yaml'
            Set-Content $bad "apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n- level: metadata"
            $out = $null
            try { $out = Get-KubeAuditEvent $log | Resolve-KubeAuditLevel -Policy $bad -ErrorAction Stop; throw 'no error' }
            catch { $err = $_ }
            $out | Should -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'KubeAudit.InvalidPolicy,*'
            $err.TargetObject.File | Should -Be $bad
            $err.TargetObject.Findings.Code | Should -Contain 'KA1005'
            $err.Exception.Message | Should -Match 'rules\[0\]\.level'
        }

        It 'warns about fields the API server drops, and resolves as it would' {
            $edge = Join-Path $Corpus 'policies/EDGE-k8s-reader_test-unknown-field-misindented-verbs.yaml'
            $decision = Resolve-KubeAuditLevel -Policy $edge -Verb create -Resource leases -ApiGroup coordination.k8s.io -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -Match 'KA1100'
            # verbs was dropped, so the rule matches create too.
            $decision.Level | Should -Be 'None'
            $decision.RuleIndex | Should -Be 0
        }

        It 'stops on a policy path that does not exist' {
            { Resolve-KubeAuditLevel -Policy (Join-Path $TestDrive 'none.yaml') -Verb get -Resource pods -ErrorAction Stop } |
                Should -Throw -ErrorId 'PathNotFound,KubeAudit.Commands.ResolveKubeAuditLevelCommand'
        }

        It 'stops on a -Policy that is neither a path nor a policy' {
            { Resolve-KubeAuditLevel -Policy 42 -Verb get -Resource pods -ErrorAction Stop } | Should -Throw -ErrorId 'KubeAudit.InvalidPolicyArgument,*'
            { Resolve-KubeAuditLevel -Policy (Get-Date) -Verb get -Resource pods -ErrorAction Stop } |
                Should -Throw -ErrorId 'KubeAudit.InvalidPolicyArgument,KubeAudit.Commands.ResolveKubeAuditLevelCommand'
        }
    }
}
