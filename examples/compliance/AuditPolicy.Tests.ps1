# Example: your own audit-policy checks, written with KubeAudit's Should operators.
# Each test asks the policy what it logs for one concrete request, as kube-apiserver decides it
# (first matching rule wins), and a failure names the rule and line that decided:
#   Expected audit level Metadata for get secrets in default, but rules[1] (line 13) gives RequestResponse.
#
# Run it:  Invoke-Pester ./examples/compliance/AuditPolicy.Tests.ps1
# Point $policy at your own policy file, and add the requests your auditors ask about.

BeforeAll {
    # Imported after Pester (Invoke-Pester loads it), KubeAudit registers -HaveAuditLevel and friends.
    Import-Module KubeAudit
    $policy = Join-Path $PSScriptRoot '../../samples/audit-policy.yaml'
}

Describe 'The audit policy' {
    It 'is valid as kube-apiserver reads it' {
        Test-KubeAuditPolicy $policy | Should -BeTrue
    }

    Context 'credentials are logged, never their contents' {
        It 'logs reading a Secret at Metadata' {
            Resolve-KubeAuditLevel -Policy $policy -Verb get -Resource secrets -Namespace default | Should -HaveAuditLevel Metadata
        }

        It 'logs changing a ConfigMap at Metadata' {
            Resolve-KubeAuditLevel -Policy $policy -Verb update -Resource configmaps -Namespace kube-system | Should -HaveAuditLevel Metadata
        }

        It 'logs TokenReviews at Metadata, so tokens stay out of the log' {
            Resolve-KubeAuditLevel -Policy $policy -Verb create -Resource tokenreviews -ApiGroup authentication.k8s.io | Should -HaveAuditLevel Metadata
        }
    }

    Context 'access to running containers is logged' {
        It 'logs kubectl exec' {
            Resolve-KubeAuditLevel -Policy $policy -Verb create -Resource pods/exec -Namespace default | Should -Not -HaveAuditLevel None
        }

        It 'logs kubectl port-forward' {
            Resolve-KubeAuditLevel -Policy $policy -Verb create -Resource pods/portforward -Namespace default | Should -Not -HaveAuditLevel None
        }
    }

    Context 'privilege changes are logged with their request' {
        It 'logs who bound whom to a ClusterRole' {
            Resolve-KubeAuditLevel -Policy $policy -Verb create -Resource clusterrolebindings -ApiGroup rbac.authorization.k8s.io | Should -HaveAuditLevel Request
        }
    }

    Context 'noise stays out, nothing else does' {
        It 'drops health checks' {
            Resolve-KubeAuditLevel -Policy $policy -Verb get -NonResourceUrl /healthz | Should -HaveAuditLevel None
        }

        It 'logs a resource no rule names, thanks to the catch-all rule' {
            $decision = Resolve-KubeAuditLevel -Policy $policy -Verb create -Resource widgets -ApiGroup example.com -Namespace default
            $decision | Should -Not -HaveAuditLevel None
            $decision.RuleIndex | Should -Not -BeNullOrEmpty -Because 'a rule, not the absence of one, should decide'
        }
    }
}
