BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $recommended = [KubeAudit.Core.Policy.RecommendedPolicy, KubeAudit.Core]::Build()
}

Describe 'New-KubeAuditPolicy' {
    It 'writes the recommended policy to the pipeline as one string' {
        $text = @(New-KubeAuditPolicy)
        $text.Count | Should -Be 1
        $text[0] | Should -BeOfType ([string])
        $text[0] | Should -BeExactly $recommended
        $text[0] | Should -Match '(?m)^apiVersion: audit\.k8s\.io/v1$'
    }

    It 'passes its own checker with no finding at all' {
        New-KubeAuditPolicy | Test-KubeAuditPolicy -Strict | Should -BeTrue
        New-KubeAuditPolicy | Test-KubeAuditPolicy -Detailed | Should -BeNullOrEmpty
        New-KubeAuditPolicy | Test-KubeAuditPolicy -KubernetesVersion 1.24 -Strict | Should -BeTrue
    }

    It 'logs what it says it logs' {
        $file = Join-Path $TestDrive 'levels.yaml'
        New-KubeAuditPolicy -Path $file
        $user = @{ User = 'alice'; Group = 'system:authenticated' }
        (Resolve-KubeAuditLevel $file -Verb get -Resource secrets -Namespace default -Name s @user).Level | Should -Be 'Metadata'
        (Resolve-KubeAuditLevel $file -Verb create -Resource pods/exec -Namespace default -Name p @user).Level | Should -Be 'Metadata'
        (Resolve-KubeAuditLevel $file -Verb create -Resource clusterrolebindings -ApiGroup rbac.authorization.k8s.io @user).Level | Should -Be 'RequestResponse'
        (Resolve-KubeAuditLevel $file -Verb create -Resource deployments -ApiGroup apps -Namespace default @user).Level | Should -Be 'Request'
        (Resolve-KubeAuditLevel $file -Verb list -Resource pods @user).Level | Should -Be 'Metadata'
        (Resolve-KubeAuditLevel $file -Verb get -NonResourceUrl /readyz @user).Level | Should -Be 'None'
        (Resolve-KubeAuditLevel $file -Verb update -Resource leases -ApiGroup coordination.k8s.io -Namespace kube-system -Name kube-scheduler -User system:kube-scheduler -Group system:authenticated).Level | Should -Be 'None'
        (Resolve-KubeAuditLevel $file -Verb get -Resource pods -Namespace default -Name p @user).OmitStages | Should -Be @('RequestReceived')
    }

    It 'writes a file with -Path, owner-only on Unix, and outputs nothing without -PassThru' {
        $file = Join-Path $TestDrive 'audit-policy.yaml'
        $out = New-KubeAuditPolicy -Path $file
        $out | Should -BeNullOrEmpty
        [IO.File]::ReadAllText($file) | Should -BeExactly $recommended
        if (-not $IsWindows) { (Get-Item $file).UnixMode | Should -Be '-rw-------' }
        (Get-KubeAuditPolicy $file).Rules.Count | Should -Be 10
        Test-KubeAuditPolicy $file -Strict | Should -BeTrue
        # Written through a temporary file, which is gone.
        @(Get-ChildItem -LiteralPath $TestDrive -Force -Filter '.audit-policy.yaml*').Count | Should -Be 0
    }

    It 'outputs the file with -PassThru, and takes -LiteralPath names as they are' {
        $file = Join-Path $TestDrive 'policy[1].yaml'
        $info = New-KubeAuditPolicy -LiteralPath $file -PassThru
        $info | Should -BeOfType ([IO.FileInfo])
        $info.FullName | Should -Be $file
        Test-Path -LiteralPath $file | Should -BeTrue
    }

    It 'writes nothing with -WhatIf' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'whatif')
        $file = Join-Path $dir 'audit-policy.yaml'
        New-KubeAuditPolicy -Path $file -WhatIf | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $dir -Force).Count | Should -Be 0
        Set-Content -LiteralPath $file 'mine'
        New-KubeAuditPolicy -Path $file -Force -WhatIf
        Get-Content -Raw -LiteralPath $file | Should -BeExactly "mine$([Environment]::NewLine)"
    }

    It 'refuses an existing file without -Force and leaves it byte-identical' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'existing')
        $file = Join-Path $dir 'audit-policy.yaml'
        [byte[]] $original = 0x23, 0x20, 0xC3, 0xA9, 0x0D, 0x0A, 0x00, 0xFF
        [IO.File]::WriteAllBytes($file, $original)
        { New-KubeAuditPolicy -Path $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeAudit.FileExists,KubeAudit.Commands.NewKubeAuditPolicyCommand'
        [IO.File]::ReadAllBytes($file) | Should -Be $original
        @(Get-ChildItem -LiteralPath $dir -Force).Name | Should -Be @('audit-policy.yaml')
    }

    It 'replaces an existing file with -Force' {
        $file = Join-Path $TestDrive 'replace.yaml'
        Set-Content -LiteralPath $file 'old'
        New-KubeAuditPolicy -Path $file -Force
        [IO.File]::ReadAllText($file) | Should -BeExactly $recommended
        if (-not $IsWindows) { (Get-Item $file).UnixMode | Should -Be '-rw-------' }
    }

    It 'reports a folder that does not exist as a write error' {
        $file = Join-Path $TestDrive 'no/such/dir/policy.yaml'
        { New-KubeAuditPolicy -Path $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeAudit.WriteFailed,KubeAudit.Commands.NewKubeAuditPolicyCommand'
    }

    It 'refuses a folder as the target' {
        { New-KubeAuditPolicy -Path $TestDrive -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeAudit.PathIsDirectory,KubeAudit.Commands.NewKubeAuditPolicyCommand'
    }

    It 'refuses a path on another provider or a drive that does not exist, as the other path parameters do' {
        { New-KubeAuditPolicy -Path Env:/KubeAuditPolicy -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeAudit.NotFileSystemPath,KubeAudit.Commands.NewKubeAuditPolicyCommand'
        { New-KubeAuditPolicy -LiteralPath 'nosuchdrive:/policy.yaml' -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeAudit.InvalidPath,KubeAudit.Commands.NewKubeAuditPolicyCommand'
        Test-Path Env:/KubeAuditPolicy | Should -BeFalse
    }
}
