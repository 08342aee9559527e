BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/kube-apiserver.yaml'

    function New-Enabled {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $folder = New-Item -ItemType Directory -Force (Join-Path $root 'etc/kubernetes/manifests')
        $manifest = Join-Path $folder 'kube-apiserver.yaml'
        Copy-Item $sample $manifest
        Enable-KubeApiServerAudit $manifest -HostRoot $root -BackupPath (Join-Path $root 'bk-enable') -Confirm:$false
        [pscustomobject]@{ Root = $root; Manifest = $manifest; Folder = $folder.FullName; Backup = Join-Path $root 'bk'; Enabled = [IO.File]::ReadAllBytes($manifest) }
    }
}

Describe 'Disable-KubeApiServerAudit' {
    It 'gives back the original manifest exactly, keeps a backup of the enabled one and outputs the config with -PassThru' {
        $node = New-Enabled
        $config = Disable-KubeApiServerAudit -ManifestPath $node.Manifest -BackupPath $node.Backup -Confirm:$false -PassThru
        $config | Should -BeOfType ([KubeAudit.ApiServerAuditConfig])
        $config.IsEnabled | Should -BeFalse
        [IO.File]::ReadAllBytes($node.Manifest) | Should -Be ([IO.File]::ReadAllBytes($sample))
        $backup = @(Get-ChildItem $node.Backup -Recurse -File)
        $backup.Count | Should -Be 1
        [IO.File]::ReadAllBytes($backup[0].FullName) | Should -Be $node.Enabled
        @(Get-ChildItem $node.Folder -Force).Name | Should -Be @('kube-apiserver.yaml')
        # The policy stays.
        Test-Path (Join-Path $node.Root 'etc/kubernetes/audit-policy.yaml') | Should -BeTrue
    }

    It 'says "not configured" and writes nothing when there is nothing to remove' {
        $node = New-Enabled
        Disable-KubeApiServerAudit $node.Manifest -BackupPath $node.Backup -Confirm:$false
        $disabled = [IO.File]::ReadAllBytes($node.Manifest)
        Disable-KubeApiServerAudit $node.Manifest -BackupPath $node.Backup -Confirm:$false -Verbose 4>&1 | Out-String | Should -Match 'not configured'
        [IO.File]::ReadAllBytes($node.Manifest) | Should -Be $disabled
        @(Get-ChildItem $node.Backup -Recurse -File).Count | Should -Be 1
    }

    It 'with -WhatIf prints the diff and changes nothing' {
        $node = New-Enabled
        $run = Invoke-CleanPwsh "Import-Module '$ModuleManifest'; Disable-KubeApiServerAudit '$($node.Manifest)' -BackupPath '$($node.Backup)' -WhatIf"
        $text = $run.Output -join "`n"
        $text | Should -Match '(?m)^-\s+- --audit-policy-file=/etc/kubernetes/audit-policy.yaml$'
        [IO.File]::ReadAllBytes($node.Manifest) | Should -Be $node.Enabled
        Test-Path $node.Backup | Should -BeFalse
    }

    It 'keeps the file mode' -Skip:$IsWindows {
        $node = New-Enabled
        & chmod 640 $node.Manifest
        Disable-KubeApiServerAudit $node.Manifest -BackupPath $node.Backup -Confirm:$false
        (Get-Item $node.Manifest).UnixMode | Should -Be '-rw-r-----'
    }

    It 'refuses a manifest that is not a kube-apiserver Pod, byte-identical' {
        $file = Join-Path $TestDrive 'deploy.yaml'
        Set-Content $file "apiVersion: apps/v1`nkind: Deployment`nmetadata:`n  name: web`n"
        $bytes = [IO.File]::ReadAllBytes($file)
        { Disable-KubeApiServerAudit $file -BackupPath (Join-Path $TestDrive 'bk') -Confirm:$false } | Should -Throw -ErrorId 'KubeAudit.NotAnApiServerPod,*'
        [IO.File]::ReadAllBytes($file) | Should -Be $bytes
    }
}

Describe 'Disable-KubeApiServerAudit -WhatIf refuses as the real run does' {
    It 'gives <Id> for <Case>, with and without -WhatIf, tree unchanged' -ForEach @(
        @{ Case = 'a backup folder inside the manifests folder'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) @{ BackupPath = Join-Path $n.Folder 'bk' } } }
        @{ Case = 'a backup folder that is a file'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) Set-Content $n.Backup 'x'; @{} } }
        @{ Case = 'a backup folder under a file'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) Set-Content $n.Backup 'x'; @{ BackupPath = Join-Path $n.Backup 'deeper' } } }
        @{ Case = 'a backup folder linked to the manifests folder'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) New-Item -ItemType SymbolicLink -Path $n.Backup -Target $n.Folder | Out-Null; @{} } }
        @{ Case = 'a kubeadm v1beta2 file'; Id = 'KubeAudit.NotAKubeadmConfig'; Arrange = { param($n) $k = Join-Path $n.Root 'kubeadm.yaml'; [IO.File]::WriteAllText($k, "apiVersion: kubeadm.k8s.io/v1beta2`nkind: ClusterConfiguration`n"); @{ KubeadmConfigPath = $k } } }
        @{ Case = 'a kubeadm file of invalid YAML'; Id = 'KubeAudit.InvalidYaml'; Arrange = { param($n) $k = Join-Path $n.Root 'kubeadm.yaml'; [IO.File]::WriteAllText($k, "apiVersion: kubeadm.k8s.io/v1beta4`nkind: ClusterConfiguration`napiServer: [`n"); @{ KubeadmConfigPath = $k } } }
        @{ Case = 'a missing manifest'; Id = 'PathNotFound'; Arrange = { param($n) Remove-Item $n.Manifest; @{} } }
        @{ Case = 'a Deployment'; Id = 'KubeAudit.NotAnApiServerPod'; Arrange = { param($n) [IO.File]::WriteAllText($n.Manifest, "apiVersion: apps/v1`nkind: Deployment`nmetadata:`n  name: web`n"); @{} } }
    ) {
        $node = New-Enabled
        $more = & $Arrange $node
        Assert-RefusedAlike $node.Root {
            param($whatIf)
            $with = @{ BackupPath = $node.Backup }
            $more.GetEnumerator() | ForEach-Object { $with[$_.Key] = $_.Value }
            Disable-KubeApiServerAudit $node.Manifest @with -WhatIf:$whatIf -Confirm:$false
        } $Id
    }
}
