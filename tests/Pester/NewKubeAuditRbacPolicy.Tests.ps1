BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit

    # One audit event as kube-apiserver logs it (Metadata level).
    function New-Event {
        param(
            [string] $Verb, [string] $User = 'system:serviceaccount:ci:deployer', [string] $Resource, [string] $Namespace,
            [string] $Name, [string] $Subresource, [string] $Group = '', [string] $Uri, [int] $Code = 200,
            [string] $Decision = 'allow', [string] $Id = [guid]::NewGuid(), [string] $Stage = 'ResponseComplete',
            [string] $Time = '2024-05-01T12:00:00Z', [string] $Impersonate
        )
        $ev = [ordered]@{
            kind = 'Event'; apiVersion = 'audit.k8s.io/v1'; level = 'Metadata'; auditID = $Id; stage = $Stage
            requestURI = if ($Uri) { $Uri } else { "/api/v1/namespaces/$Namespace/$Resource/$Name" }
            verb = $Verb; user = @{ username = $User; groups = @('system:serviceaccounts', 'system:authenticated') }
            requestReceivedTimestamp = $Time; stageTimestamp = $Time
        }
        if ($Impersonate) { $ev.impersonatedUser = @{ username = $Impersonate; groups = @('system:authenticated') } }
        if ($Resource) {
            $ref = [ordered]@{ resource = $Resource; apiGroup = $Group; apiVersion = 'v1' }
            if ($Namespace) { $ref.namespace = $Namespace }
            if ($Name) { $ref.name = $Name }
            if ($Subresource) { $ref.subresource = $Subresource }
            $ev.objectRef = $ref
        }
        if ($Stage -ne 'RequestReceived') {
            $ev.responseStatus = @{ code = $Code }
            $ev.annotations = @{ 'authorization.k8s.io/decision' = $Decision }
        }
        $ev | ConvertTo-Json -Compress -Depth 5
    }

    $script:log = Join-Path $TestDrive 'audit.log'
    @(
        New-Event -Verb list -Resource pods -Namespace web -Time '2024-05-01T10:00:00Z' -Id a1 -Stage RequestReceived
        New-Event -Verb list -Resource pods -Namespace web -Time '2024-05-01T10:00:00Z' -Id a1
        New-Event -Verb get -Resource pods -Namespace web -Name front-1
        New-Event -Verb create -Resource pods -Namespace web -Name front-1 -Subresource exec
        New-Event -Verb patch -Resource deployments -Group apps -Namespace web -Name front
        New-Event -Verb get -Resource secrets -Namespace db -Name db-pass -Code 403 -Decision forbid
        New-Event -Verb get -Resource configmaps -Namespace db -Name settings
        New-Event -Verb get -Resource configmaps -Namespace web -Name settings
        New-Event -Verb list -Resource nodes -Uri '/api/v1/nodes'
        New-Event -Verb get -Uri '/metrics?format=prometheus' -Time '2024-05-01T13:00:00Z'
        New-Event -Verb get -Uri '/apis/apps/v1'
        New-Event -Verb get -Uri '/livez'
        New-Event -Verb create -Resource selfsubjectrulesreviews -Group authorization.k8s.io -Uri '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews'
        New-Event -Verb delete -User alice -Resource pods -Namespace web -Name front-1
        New-Event -Verb get -User admin -Impersonate system:serviceaccount:ci:deployer -Resource services -Namespace web -Name api
    ) | Set-Content -LiteralPath $log

    function Get-Rules([string] $Yaml) {
        $result = [KubeAudit.Core.Rbac.RbacReadResult, KubeAudit.Core]::new()
        [KubeAudit.Core.Rbac.RbacDocumentReader, KubeAudit.Core]::Read($Yaml, 'out.yaml', $result)
        $result.Diagnostics | Should -BeNullOrEmpty
        $result
    }
}

Describe 'New-KubeAuditRbacPolicy' {
    It 'generates one Role per namespace and a ClusterRole, as YAML kubectl can apply' {
        $yaml = New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer
        $yaml | Should -BeOfType ([string])
        $read = Get-Rules $yaml
        @($read.Roles | ForEach-Object { "$_" }) | Should -Be @(
            'Role db/kubeaudit:system:serviceaccount:ci:deployer'
            'Role web/kubeaudit:system:serviceaccount:ci:deployer'
            'ClusterRole kubeaudit:system:serviceaccount:ci:deployer')
        @($read.Bindings.Kind) | Should -Be @('RoleBinding', 'RoleBinding', 'ClusterRoleBinding')
        $read.Bindings[0].Subjects[0].ToString() | Should -Be 'ServiceAccount ci/deployer'
        $web = ($read.Roles | Where-Object Namespace -EQ web).Rules | ForEach-Object { "$_" }
        $web | Should -Contain '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list" "watch"]}'
        $web | Should -Contain '{APIGroups:[""], Resources:["pods/exec"], ResourceNames:["front-1"], Verbs:["create"]}'
        $web | Should -Contain '{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["front"], Verbs:["get" "patch" "update"]}'
        # impersonated requests are the impersonated user's; alice's delete is not
        $web | Should -Contain '{APIGroups:[""], Resources:["services"], ResourceNames:["api"], Verbs:["get"]}'
        $web -join ' ' | Should -Not -Match 'delete'
        $cluster = ($read.Roles | Where-Object Kind -EQ ClusterRole).Rules | ForEach-Object { "$_" }
        $cluster | Should -Be @(
            '{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list" "watch"]}'
            '{NonResourceURLs:["/metrics"], Verbs:["get"]}')
        $read.Roles[0].Annotations['kubeaudit/events-from'] | Should -Be '2024-05-01T10:00:00Z'
        $read.Roles[0].Annotations['kubeaudit/events-to'] | Should -Be '2024-05-01T13:00:00Z'
        $read.Roles[0].Annotations['kubeaudit/events'] | Should -Be '10' # 13 requests less /apis/apps/v1, /livez and the self-review
    }

    It 'gives the same bytes from piped events as from the file' {
        $fromFile = New-KubeAuditRbacPolicy -Path $log -ServiceAccount system:serviceaccount:ci:deployer
        $piped = Get-KubeAuditEvent -Path $log | New-KubeAuditRbacPolicy -ServiceAccount ci:deployer
        $piped | Should -BeExactly $fromFile
        Get-Item $log | New-KubeAuditRbacPolicy -User system:serviceaccount:ci:deployer | Should -BeExactly $fromFile
        $log | New-KubeAuditRbacPolicy -ServiceAccount ci:deployer | Should -BeExactly $fromFile -Because 'a path piped as a string binds to -Path'
    }

    It 'widens names and namespaces only when asked' {
        $narrow = Get-Rules (New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -ExactVerbs)
        ($narrow.Roles | Where-Object Namespace -EQ db).Rules | ForEach-Object { "$_" } | Should -Contain '{APIGroups:[""], Resources:["configmaps"], ResourceNames:["settings"], Verbs:["get"]}'
        $wide = Get-Rules (New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -ExpandMultiNamespace -ExactVerbs)
        $cluster = ($wide.Roles | Where-Object Kind -EQ ClusterRole).Rules | ForEach-Object { "$_" }
        $cluster | Should -Contain '{APIGroups:[""], Resources:["configmaps"], ResourceNames:["settings"], Verbs:["get"]}'
        ($wide.Roles | Where-Object Namespace -EQ web).Rules | ForEach-Object { "$_" } | Should -Contain '{APIGroups:[""], Resources:["pods"], Verbs:["list"]}'
    }

    It 'leaves out denied requests with -ExcludeDenied' {
        (New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer) | Should -Match 'db-pass'
        (New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -ExcludeDenied) | Should -Not -Match 'db-pass'
    }

    It 'limits to one namespace with -Namespace and renames with -Name' {
        $read = Get-Rules (New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -Namespace db -Name deployer-db)
        @($read.Roles | ForEach-Object { "$_" }) | Should -Be @('Role db/deployer-db')
        $read.Bindings[0].RoleName | Should -Be 'deployer-db'
    }

    It 'outputs typed roles and bindings with -AsObject' {
        $objects = New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -AsObject
        @($objects | Where-Object { $_.GetType().Name -eq 'RbacRole' }).Count | Should -Be 3
        @($objects | Where-Object { $_.GetType().Name -eq 'RbacBinding' }).Count | Should -Be 3
        ($objects | Where-Object Kind -EQ ClusterRole | Out-String) | Should -Match 'ClusterRole'
    }

    It 'explains each rule with the requests and events behind it' {
        $why = New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -Explain
        $pods = $why | Where-Object { $_.Request.Resource -eq 'pods' -and $_.Request.Verb -eq 'list' }
        $pods.Count | Should -Be 1
        $pods.Events.Count | Should -Be 1
        $pods.Events[0].AuditId | Should -Be 'a1'
        $pods.Rule | Should -BeExactly 'get,list,watch pods'
        $pods.PolicyRule.Verbs | Should -Be @('get', 'list', 'watch')
        @($why | Where-Object Rule -EQ 'create pods/exec [front-1]').Count | Should -Be 1 -Because 'the Rule column is its text'
        @($why | Where-Object Rule -EQ 'get /metrics').Count | Should -Be 1
        $metrics = $why | Where-Object { $_.Request.Path -eq '/metrics' }
        $metrics.Events[0].RequestUri | Should -Be '/metrics?format=prometheus'
        ($why | Format-Table | Out-String) | Should -Match 'list pods'
    }

    It 'grants the impersonator impersonate on the service account it acted as, and nothing of what it did as it' {
        $read = Get-Rules (New-KubeAuditRbacPolicy -Path $log -User admin)
        @($read.Roles | ForEach-Object { "$_" }) | Should -Be @('Role ci/kubeaudit:admin')
        $read.Roles[0].Rules | ForEach-Object { "$_" } | Should -Be '{APIGroups:[""], Resources:["serviceaccounts"], ResourceNames:["deployer"], Verbs:["impersonate"]}'
        $read.Bindings[0].Subjects[0].ToString() | Should -Be 'User admin'
    }

    It 'completes -User and -ServiceAccount from the subjects of the log on the command line' {
        $users = (TabExpansion2 -inputScript "New-KubeAuditRbacPolicy -Path '$log' -User a").CompletionMatches.CompletionText
        $users | Should -Be @('admin', 'alice')
        $accounts = (TabExpansion2 -inputScript "New-KubeAuditRbacPolicy '$log' -ServiceAccount ").CompletionMatches.CompletionText
        $accounts | Should -Be @('ci:deployer') -Because 'the impersonated service account is offered as namespace:name'
        $compare = (TabExpansion2 -inputScript "Compare-KubeAuditRbac -RbacPath x.yaml -LiteralPath '$log' -User system:").CompletionMatches.CompletionText
        $compare | Should -Be @('system:serviceaccount:ci:deployer')
        (TabExpansion2 -inputScript 'New-KubeAuditRbacPolicy -User a').CompletionMatches | Should -BeNullOrEmpty -Because 'without a log there is nothing to offer'
    }

    It 'writes -OutFile all at once, refuses to replace without -Force, and honours -WhatIf' {
        $file = Join-Path $TestDrive 'rbac.yaml'
        New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -OutFile $file -WhatIf
        Test-Path $file | Should -BeFalse
        New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -OutFile $file | Should -BeNullOrEmpty
        $expected = New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer
        [IO.File]::ReadAllText($file) | Should -BeExactly $expected
        Set-Content -LiteralPath $file -Value 'keep me'
        { New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -OutFile $file -ErrorAction Stop } | Should -Throw -ErrorId 'KubeAudit.FileExists,*'
        Get-Content -Raw $file | Should -Be "keep me$([Environment]::NewLine)"
        (New-KubeAuditRbacPolicy -Path $log -ServiceAccount ci:deployer -OutFile $file -Force -PassThru).FullName | Should -Be $file
        @(Get-ChildItem -Force (Split-Path $file) -Filter '.rbac.yaml*').Count | Should -Be 0
    }

    It 'reports a subject without events, bad subjects and bad lines without losing the rest' {
        New-KubeAuditRbacPolicy -Path $log -User nobody -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.NoMatchingEvents,*'
        { New-KubeAuditRbacPolicy -Path $log -ServiceAccount deployer } | Should -Throw -ErrorId 'KubeAudit.InvalidServiceAccount,*'
        { New-KubeAuditRbacPolicy -Path $log -User a -Group b } | Should -Throw -ErrorId 'KubeAudit.SubjectRequired,*'
        $broken = Join-Path $TestDrive 'broken.log'
        # A broken line that mentions the subject is reported (lines that cannot be the subject's are skipped unparsed).
        @('{"kind":"Event","user":{"username":"system:serviceaccount:ci:deployer"}, not json', (New-Event -Verb get -Resource pods -Namespace web -Name p)) | Set-Content -LiteralPath $broken
        $yaml = New-KubeAuditRbacPolicy -Path $broken -ServiceAccount ci:deployer -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2.Count | Should -Be 1
        $yaml | Should -Match 'resourceNames:\n  - p\n'
    }

    It 'warns when every request was one all users may make' {
        $only = Join-Path $TestDrive 'discovery.log'
        New-Event -Verb get -Uri '/api' | Set-Content -LiteralPath $only
        New-KubeAuditRbacPolicy -Path $only -ServiceAccount ci:deployer -WarningVariable warn -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $warn[0] | Should -Match 'no role is needed'
    }
}

Describe 'New-KubeAuditRbacPolicy on audit2rbac''s own demo log' {
    BeforeAll {
        $demo = Join-Path $Corpus 'events/audit2rbac-demo.log'
        $original = Join-Path $Corpus 'events/audit2rbac-demo-501d132-original-v1beta1.log'
        function Get-RuleText($Objects) { $Objects | Where-Object { $_.GetType().Name -eq 'RbacRole' } | ForEach-Object { "$_"; $_.Rules | ForEach-Object { "  $_" } } }
    }

    It 'gives alice the Role of audit2rbac''s README, step 4' {
        $yaml = New-KubeAuditRbacPolicy -Path $demo -User alice
        # README: one Role in ns1, one rule on configmaps, pods, secrets with get, list, watch, and its RoleBinding.
        $yaml | Should -Match '(?s)kind: Role\n.*namespace: ns1\nrules:\n- apiGroups:\n  - ""\n  resources:\n  - configmaps\n  - pods\n  - secrets\n  verbs:\n  - get\n  - list\n  - watch\n---\n'
        @([regex]::Matches($yaml, '(?m)^kind: (\w+)$') | ForEach-Object { $_.Groups[1].Value }) | Should -Be @('Role', 'RoleBinding')
        $yaml | Should -Match 'kubeaudit/events-from: "2017-09-11T20:28:54Z"'
    }

    It 'gives bob and ns1:sa1 what audit2rbac gives them with its default expansions' {
        $bob = Get-RuleText (New-KubeAuditRbacPolicy -Path $demo -User bob -ExpandMultiNamespace -ExpandMultiName -AsObject)
        $bob | Should -Be @('ClusterRole kubeaudit:bob', '  {APIGroups:[""], Resources:["nodes" "pods"], Verbs:["get" "list" "watch"]}')
        # the 757-event original (v1beta1, RequestReceived stages, no responseStatus on them) gives the same
        $sa = Get-RuleText (New-KubeAuditRbacPolicy -Path $original -ServiceAccount ns1:sa1 -ExpandMultiNamespace -ExpandMultiName -AsObject)
        $sa | Should -Be @('ClusterRole kubeaudit:system:serviceaccount:ns1:sa1', '  {APIGroups:[""], Resources:["nodes" "pods"], Verbs:["get" "list" "watch"]}')
    }
}
