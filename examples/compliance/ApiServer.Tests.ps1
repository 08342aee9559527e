# Example: your own checks of the kube-apiserver manifest, written with KubeAudit's Should operators.
# The sample manifest is copied, auditing is enabled in the copy with Enable-KubeApiServerAudit's
# defaults, and the copy is checked the way an auditor would ask. A failure names the flag and line:
#   Expected --audit-log-maxage to be at least 30 in ./kube-apiserver.yaml, but it is --audit-log-maxage=7 (line 19).
#
# Run it:  Invoke-Pester ./examples/compliance/ApiServer.Tests.ps1
# On a node, drop the copy and Enable, and point $manifest at /etc/kubernetes/manifests/kube-apiserver.yaml.

BeforeAll {
    # Imported after Pester (Invoke-Pester loads it), KubeAudit registers -HaveAuditFlag and friends.
    Import-Module KubeAudit
    $sample = Join-Path $PSScriptRoot '../../samples/kube-apiserver.yaml'

    # A node in TestDrive: the manifest, the policy beside it, backups outside the manifests folder.
    $manifest = Join-Path $TestDrive 'etc/kubernetes/manifests/kube-apiserver.yaml'
    $null = New-Item -ItemType Directory -Force (Split-Path $manifest)
    Copy-Item $sample $manifest
    Enable-KubeApiServerAudit -ManifestPath $manifest -HostRoot $TestDrive -BackupPath (Join-Path $TestDrive 'backup') -Confirm:$false
    $config = Get-KubeApiServerAuditConfig $manifest -HostRoot $TestDrive
}

Describe 'The sample manifest as shipped' {
    It 'has no audit log yet' {
        Get-KubeApiServerAuditConfig $sample | Should -Not -HaveAuditFlag audit-log-path
    }
}

Describe 'The manifest after Enable-KubeApiServerAudit' {
    It 'writes an audit log' {
        $config | Should -HaveAuditFlag audit-log-path -Value /var/log/kubernetes/audit/audit.log
    }

    It 'keeps logs for 30 days, 10 files of 100 MB (CIS 1.2.17-1.2.19)' {
        $config | Should -HaveAuditFlag audit-log-maxage -AtLeast 30
        $config | Should -HaveAuditFlag audit-log-maxbackup -AtLeast 10
        $config | Should -HaveAuditFlag audit-log-maxsize -AtLeast 100
    }

    It 'names an audit policy' {
        $config | Should -HaveAuditFlag --audit-policy-file
    }

    It 'has no problem that would stop auditing' {
        $config.Problems | Should -BeNullOrEmpty
    }

    It 'passes the log-path check of the CIS benchmark, with the evidence to show for it' {
        Get-KubeAuditComplianceCheck $manifest -PolicyPath (Join-Path $TestDrive 'etc/kubernetes/audit-policy.yaml') -Name AuditLogPath |
            Should -PassComplianceCheck
    }
}
