BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/kube-apiserver.yaml'
    $fileMount = Join-Path $RepoRoot 'tests/Pester/fixtures/manifests/log-file-mount.yaml'
}

Describe 'Get-KubeApiServerAuditConfig' {
    It 'reads a manifest without auditing: no flags, not enabled, no problem' {
        $config = Get-KubeApiServerAuditConfig -ManifestPath $sample
        $config | Should -BeOfType ([KubeAudit.ApiServerAuditConfig])
        $config.ContainerName | Should -Be 'kube-apiserver'
        $config.FlagLocation | Should -Be 'command'
        $config.IsEnabled | Should -BeFalse
        $config.Flags | Should -BeNullOrEmpty
        $config.Problems | Should -BeNullOrEmpty
        $config.Volumes.Count | Should -Be 5
    }

    It 'takes files from Get-ChildItem and names by position' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'many')
        Copy-Item $sample (Join-Path $dir 'a.yaml')
        Copy-Item $fileMount (Join-Path $dir 'b.yaml')
        $configs = @(Get-ChildItem $dir -Filter *.yaml | Get-KubeApiServerAuditConfig)
        $configs.Count | Should -Be 2
        $configs[1].ManifestPath | Should -Be (Join-Path $dir 'b.yaml')
        (Get-KubeApiServerAuditConfig (Join-Path $dir 'a.yaml')).ManifestPath | Should -Be (Join-Path $dir 'a.yaml')
    }

    It 'flags a mounted log FILE with its fix' {
        $root = New-Item -ItemType Directory (Join-Path $TestDrive 'root')
        $null = New-Item -ItemType Directory -Force (Join-Path $root 'etc/kubernetes')
        New-KubeAuditPolicy -Path (Join-Path $root 'etc/kubernetes/audit-policy.yaml')
        $config = Get-KubeApiServerAuditConfig $fileMount -HostRoot $root
        $config.IsEnabled | Should -BeTrue
        $config.IsValid | Should -BeFalse
        $problem = @($config.Problems | Where-Object Code -eq 'AuditLogFileMounted')
        $problem.Count | Should -Be 1
        $problem[0].Flag | Should -Be 'audit-log-path'
        $problem[0].Line | Should -BeGreaterThan 0
        $problem[0].Hint | Should -Match 'Mount the folder /var/log/kubernetes/audit'
        ($config.Problems | Format-Table | Out-String) | Should -Match 'AuditLogFileMounted'
        ($config | Format-List | Out-String) | Should -Match 'Fix: Mount the folder'
    }

    It 'reports a missing policy file under -HostRoot' {
        $config = Get-KubeApiServerAuditConfig $fileMount -HostRoot (New-Item -ItemType Directory (Join-Path $TestDrive 'empty')).FullName
        $config.Problems.Code | Should -Contain 'AuditPolicyMissing'
    }

    It 'gives a clear error, and no object, for <Name>' -ForEach @(
        @{ Name = 'invalid YAML'; Text = "apiVersion: v1`nkind: Pod`nspec: [unclosed`n"; Id = 'KubeAudit.InvalidYaml' }
        @{ Name = 'a Deployment'; Text = "apiVersion: apps/v1`nkind: Deployment`nmetadata:`n  name: web`n"; Id = 'KubeAudit.NotAnApiServerPod' }
    ) {
        $file = Join-Path $TestDrive 'bad.yaml'
        Set-Content -Path $file -Value $Text -NoNewline
        $out = Get-KubeApiServerAuditConfig $file -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err[0].TargetObject | Should -Be $file
    }

    It 'writes PathNotFound for a missing manifest' {
        Get-KubeApiServerAuditConfig (Join-Path $TestDrive 'nope.yaml') -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
    }
}
