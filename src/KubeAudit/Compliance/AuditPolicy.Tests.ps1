# KubeAudit compliance suite: the audit policy exists, is valid and covers the key concerns.
# CIS Kubernetes Benchmark 3.2.1 (a minimal audit policy is created) and 3.2.2 (it covers key
# security concerns), numbered so in CIS 1.9 to 1.12.
#
# The 3.2.2 checks are judged the way the API server judges: each concern becomes concrete requests
# (get secrets in default, create pods/exec, delete clusterrolebindings, ...) and the policy's
# first-match evaluator - the one behind Resolve-KubeAuditLevel - says what it logs for each. The
# evidence names the rule and line that decided. For checks of your own, write for example:
#   Resolve-KubeAuditLevel -Policy $PolicyPath -Verb get -Resource secrets | Should -HaveAuditLevel Metadata
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

Describe 'The audit policy file (CIS 3.2.1)' -Tag AuditPolicy {
    It '<_.Id>: is set (--audit-policy-file), mounted into the API server, present and valid' -Tag $check.AuditPolicyFile.Tags -ForEach $check.AuditPolicyFile {
        $_ | Should -PassComplianceCheck
    }
}

Describe 'The audit policy covers key security concerns (CIS 3.2.2)' -Tag AuditPolicy {
    It '<_.Id>: logs Secret, ConfigMap and TokenReview requests at exactly Metadata, never their bodies' -Tag $check.PolicyCredentialsAtMetadata.Tags -ForEach $check.PolicyCredentialsAtMetadata {
        $_ | Should -PassComplianceCheck
    }

    It '<_.Id>: logs pods/exec, pods/attach and pods/portforward' -Tag $check.PolicyPodAccessLogged.Tags -ForEach $check.PolicyPodAccessLogged {
        $_ | Should -PassComplianceCheck
    }

    It '<_.Id>: logs changes to RBAC roles and bindings' -Tag $check.PolicyRbacChangesLogged.Tags -ForEach $check.PolicyRbacChangesLogged {
        $_ | Should -PassComplianceCheck
    }

    It '<_.Id>: logs changes to Pods and Deployments' -Tag $check.PolicyWorkloadChangesLogged.Tags -ForEach $check.PolicyWorkloadChangesLogged {
        $_ | Should -PassComplianceCheck
    }

    It '<_.Id>: drops no kind of request silently for want of a catch-all rule' -Tag $check.PolicyHasCatchAll.Tags -ForEach $check.PolicyHasCatchAll {
        $_ | Should -PassComplianceCheck
    }
}
