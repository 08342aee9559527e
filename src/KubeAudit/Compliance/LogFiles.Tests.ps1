# KubeAudit compliance suite: the audit log files themselves, on this machine.
# Not numbered by CIS, so the tests carry KubeAudit's IDs (KA-LOG-1, KA-LOG-2).
#
# The log folder is the one given with -LogPath, else the node folder the manifest's
# --audit-log-path is mounted from; where it does not exist (not on the node), the checks skip
# and say so. "Written recently" runs only when a log path is given.
param(
    [string] $ManifestPath = '/etc/kubernetes/manifests/kube-apiserver.yaml',
    [string] $PolicyPath,
    [string] $LogPath,
    [string] $Benchmark = 'CIS-1.12',
    [switch] $ExternalRotation,
    [hashtable] $Threshold = @{}
)

BeforeDiscovery {
    # Evaluated at discovery, so that every test carries its check's ID as a tag.
    $settings = @{ ManifestPath = $ManifestPath; Benchmark = $Benchmark; ExternalRotation = $ExternalRotation; Threshold = $Threshold }
    if ($PolicyPath) { $settings.PolicyPath = $PolicyPath }
    if ($LogPath) { $settings.LogPath = $LogPath }
    $check = @{}
    Get-KubeAuditComplianceCheck @settings | ForEach-Object { $check[$_.Name] = $_ }
}

Describe 'The audit log files' -Tag LogFiles {
    It '<_.Id>: are not accessible to other users, nor is their folder' -Tag $check.LogFilePermissions.Tags -ForEach $check.LogFilePermissions {
        $_ | Should -PassComplianceCheck
    }

    It '<_.Id>: were written recently (in the last hour by default)' -Tag $check.LogRecentlyWritten.Tags -ForEach $check.LogRecentlyWritten {
        # An API server that logs nothing for an hour has stopped auditing; -Threshold @{ LogIdleMinutes = N } changes the hour.
        $_ | Should -PassComplianceCheck
    }
}
