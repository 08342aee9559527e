# KubeAudit compliance suite: the API server writes an audit log and keeps it long enough.
# CIS Kubernetes Benchmark 1.2.16-1.2.19 (numbered so in CIS 1.9 to 1.12).
#
# Invoke-KubeAuditCompliance runs this file with the parameters below. You can run it yourself:
#   Invoke-Pester -Container (New-PesterContainer -Path ./AuditLog.Tests.ps1 -Data @{ ManifestPath = './kube-apiserver.yaml' })
# or copy it as a model for checks of your own. Get-KubeAuditComplianceCheck does the judging;
# each test asserts one check with Should -PassComplianceCheck, so a failure reads as its evidence.
param(
    [string] $ManifestPath = '/etc/kubernetes/manifests/kube-apiserver.yaml',
    [string] $PolicyPath,
    [string] $LogPath,
    [string] $Benchmark = 'CIS-1.12',
    [switch] $ExternalRotation,
    [hashtable] $Threshold = @{}
)

BeforeDiscovery {
    # Evaluated at discovery, so that every test carries its check's benchmark ID as a tag.
    $settings = @{ ManifestPath = $ManifestPath; Benchmark = $Benchmark; ExternalRotation = $ExternalRotation; Threshold = $Threshold }
    if ($PolicyPath) { $settings.PolicyPath = $PolicyPath }
    if ($LogPath) { $settings.LogPath = $LogPath }
    $check = @{}
    Get-KubeAuditComplianceCheck @settings | ForEach-Object { $check[$_.Name] = $_ }
}

Describe 'The API server audit log (CIS 1.2.16-1.2.19)' -Tag AuditLog {
    It '<_.Id>: writes audit events to a log file (--audit-log-path) in a folder mounted from the node' -Tag $check.AuditLogPath.Tags -ForEach $check.AuditLogPath {
        $_ | Should -PassComplianceCheck
    }

    It '<_.Id>: keeps rotated audit logs for at least the minimum age (--audit-log-maxage, 30 days by default)' -Tag $check.AuditLogMaxAge.Tags -ForEach $check.AuditLogMaxAge {
        # The minimum is 30 unless -Threshold @{ MaxAge = N } says otherwise; -ExternalRotation skips it.
        $_ | Should -PassComplianceCheck
    }

    It '<_.Id>: keeps at least the minimum number of rotated files (--audit-log-maxbackup, 10 by default)' -Tag $check.AuditLogMaxBackup.Tags -ForEach $check.AuditLogMaxBackup {
        $_ | Should -PassComplianceCheck
    }

    It '<_.Id>: rotates the audit log at the minimum size or more (--audit-log-maxsize, 100 MB by default)' -Tag $check.AuditLogMaxSize.Tags -ForEach $check.AuditLogMaxSize {
        $_ | Should -PassComplianceCheck
    }
}
