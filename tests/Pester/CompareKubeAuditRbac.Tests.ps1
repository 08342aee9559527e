BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit

    function New-Event {
        param([string] $Verb, [string] $User, [string[]] $Groups = @('system:authenticated'), [string] $Resource, [string] $Namespace,
            [string] $Name, [string] $Uri, [int] $Code = 200, [string] $Time = '2024-05-01T12:00:00Z')
        $ev = [ordered]@{
            kind = 'Event'; apiVersion = 'audit.k8s.io/v1'; level = 'Metadata'; auditID = [guid]::NewGuid().ToString(); stage = 'ResponseComplete'
            requestURI = if ($Uri) { $Uri } else { "/api/v1/namespaces/$Namespace/$Resource/$Name" }
            verb = $Verb; user = @{ username = $User; groups = $Groups }
            requestReceivedTimestamp = $Time; stageTimestamp = $Time; responseStatus = @{ code = $Code }
        }
        if ($Resource) {
            $ref = [ordered]@{ resource = $Resource; apiVersion = 'v1' }
            if ($Namespace) { $ref.namespace = $Namespace }
            if ($Name) { $ref.name = $Name }
            $ev.objectRef = $ref
        }
        $ev | ConvertTo-Json -Compress -Depth 5
    }

    $script:log = Join-Path $TestDrive 'audit.log'
    @(
        New-Event -Verb list -User alice -Groups devs, system:authenticated -Resource pods -Namespace shop -Time '2024-05-01T08:00:00Z'
        New-Event -Verb get -User alice -Groups devs, system:authenticated -Resource pods -Namespace shop -Name web-1 -Time '2024-05-01T09:30:00Z'
        New-Event -Verb delete -User alice -Groups devs, system:authenticated -Resource pods -Namespace shop -Name web-1 -Code 403
        New-Event -Verb get -User system:serviceaccount:shop:app -Resource configmaps -Namespace shop -Name settings -Time '2024-05-01T18:00:00Z'
        New-Event -Verb get -User alice -Groups devs, system:authenticated -Uri '/version'
    ) | Set-Content -LiteralPath $log

    $script:rbacDir = Join-Path $TestDrive 'rbac'
    $null = New-Item -ItemType Directory $rbacDir
    @'
apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: {name: viewer}
  aggregationRule:
    clusterRoleSelectors:
    - matchLabels: {example.com/aggregate-to-viewer: "true"}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata: {name: pod-view, labels: {example.com/aggregate-to-viewer: "true"}}
  rules:
  - {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
  - {apiGroups: [""], resources: [secrets], verbs: [get]}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata: {name: devs-view, namespace: shop}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: viewer}
  subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}]
'@ | Set-Content -LiteralPath (Join-Path $rbacDir 'cluster.yaml')
    '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"cm","namespace":"shop"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}]}
---
{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"app-cm","namespace":"shop"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"cm"},"subjects":[{"kind":"ServiceAccount","name":"app"}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: not-rbac}' | Set-Content -LiteralPath (Join-Path $rbacDir 'app.json')
}

Describe 'Compare-KubeAuditRbac' {
    It 'reports used and never-used grants and missing permissions per subject, with the log window' {
        $rows = Compare-KubeAuditRbac -RbacPath $rbacDir -Path $log -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.NotAnRbacObject,*'
        $err[0].ErrorDetails.Message | Should -Match 'app\.json:5: .*document 3 is ConfigMap'

        $alice = @($rows | Where-Object Subject -EQ 'User alice')
        @($alice.Status) | Should -Be @('Used', 'Unused', 'Missing')
        $alice[0].Role | Should -Be 'ClusterRole viewer'
        $alice[0].Binding | Should -Be 'RoleBinding shop/devs-view'
        $alice[0].Count | Should -Be 2
        $alice[0].LastUsed | Should -Be ([DateTimeOffset]'2024-05-01T09:30:00Z')
        $alice[1].Permission | Should -Match 'secrets'
        $alice[2].Permission | Should -Be 'delete pods -n shop web-1'
        $alice[2].Denied | Should -Be 1
        $app = @($rows | Where-Object Subject -EQ 'ServiceAccount shop/app')
        @($app.Status) | Should -Be @('Used')
        $rows | ForEach-Object { $_.WindowStart | Should -Be ([DateTimeOffset]'2024-05-01T08:00:00Z'); $_.WindowEnd | Should -Be ([DateTimeOffset]'2024-05-01T18:00:00Z') }
        ($rows | Out-String) | Should -Match 'Unused'
    }

    It 'reads log paths piped as strings as it reads -Path' {
        $fromPath = Compare-KubeAuditRbac -RbacPath (Join-Path $rbacDir '*.yaml') -Path $log -User alice | ForEach-Object { "$($_.Status) $($_.Permission) $($_.Count)" }
        $fromPipe = $log | Compare-KubeAuditRbac -RbacPath (Join-Path $rbacDir '*.yaml') -User alice | ForEach-Object { "$($_.Status) $($_.Permission) $($_.Count)" }
        @($fromPath).Count | Should -BeGreaterThan 2
        $fromPipe | Should -Be $fromPath
    }

    It 'limits to one subject and to the statuses asked for, from piped events' {
        $rows = Get-KubeAuditEvent $log | Compare-KubeAuditRbac -RbacPath (Join-Path $rbacDir '*.yaml') -User alice -Status Unused
        @($rows).Count | Should -Be 1
        $rows.Permission | Should -Match 'secrets'
        $group = Compare-KubeAuditRbac -RbacPath $rbacDir -Path $log -Group devs -ErrorAction SilentlyContinue
        @($group.Subject | Select-Object -Unique) | Should -Be @('Group devs')
    }

    It 'finds every permission of a policy generated from the same log used, and nothing missing' {
        $file = Join-Path $TestDrive 'generated.yaml'
        New-KubeAuditRbacPolicy -Path $log -User alice -OutFile $file
        $rows = Compare-KubeAuditRbac -RbacPath $file -Path $log -User alice
        $rows | Should -Not -BeNullOrEmpty
        $rows | Where-Object Status -NE 'Used' | Should -BeNullOrEmpty
    }

    It 'needs the RBAC files, and takes at most one subject' {
        { Compare-KubeAuditRbac -RbacPath (Join-Path $TestDrive 'none.yaml') -Path $log -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
        { Compare-KubeAuditRbac -RbacPath $rbacDir -Path $log -User a -Group b } | Should -Throw -ErrorId 'KubeAudit.SubjectRequired,*'
    }
}

Describe 'about_KubeAuditRbac' {
    BeforeAll {
        $fixtures = Join-Path $PSScriptRoot 'fixtures/rbac'
        $about = Get-Content -Raw (Join-Path $RepoRoot 'docs/en-US/about_KubeAuditRbac.md')
    }

    It 'is installed as a help topic naming both commands' {
        $text = Get-Content -Raw (Join-Path (Split-Path $ModuleManifest) 'en-US/about_KubeAuditRbac.help.txt')
        $text | Should -Match 'New-KubeAuditRbacPolicy'
        $text | Should -Match 'Compare-KubeAuditRbac'
    }

    It 'shows the Role its worked example really generates' {
        $shown = [regex]::Match($about, '(?s)```\n(apiVersion: rbac\.authorization\.k8s\.io/v1\nkind: Role\n.*?)```').Groups[1].Value
        $shown | Should -Not -BeNullOrEmpty
        $generated = (New-KubeAuditRbacPolicy -Path (Join-Path $fixtures 'audit.log') -ServiceAccount shop:checkout) -split '(?m)^---\n'
        $generated[0] | Should -BeExactly $shown
    }

    It 'shows the comparison its worked example really gives' {
        $rows = Compare-KubeAuditRbac -RbacPath (Join-Path $fixtures 'cluster-rbac.yaml') -Path (Join-Path $fixtures 'audit.log')
        foreach ($row in $rows) {
            $line = '{0,-7} {1,-9} {2}' -f $row.Status, $row.Namespace, $row.Permission
            $about | Should -Match ([regex]::Escape($line))
        }
        @($rows.Status) | Should -Be @('Used', 'Unused', 'Missing', 'Missing')
    }
}
