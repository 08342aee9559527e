namespace KubeAudit.Core.Policy;

/// <summary>
/// The audit policy KubeAudit recommends and installs by default: credentials never in bodies, no
/// noise from probes, heartbeats and events, changes with their request, RBAC changes in full,
/// everything else at Metadata. It passes <see cref="PolicyChecker"/> with no finding at all.
/// </summary>
public static class RecommendedPolicy
{
    /// <summary>The policy as commented YAML, with LF line ends.</summary>
    public static string Build() => s_text;

    // A literal rather than a serializer: the comments are half the point, and the text is stable.
    // Line ends are normalized in case a checkout turned this file's into CRLF.
    private static readonly string s_text = """
        # The audit policy recommended by KubeAudit (New-KubeAuditPolicy).
        # kube-apiserver applies the FIRST rule that matches a request, so the order below matters:
        # exceptions first, then changes, then reads, then a catch-all.
        apiVersion: audit.k8s.io/v1
        kind: Policy
        # RequestReceived repeats what ResponseComplete records a moment later; omitting it halves the volume.
        omitStages:
          - RequestReceived
        # managedFields only record which client set which field; they bloat every logged body.
        omitManagedFields: true
        rules:
          # Health and version probes: load balancers and kubelets poll them every few seconds.
          - level: None
            nonResourceURLs:
              - /healthz*
              - /livez*
              - /readyz*
              - /version
          # Leader election: the controller manager and scheduler renew their leases every few seconds.
          - level: None
            users:
              - system:kube-controller-manager
              - system:kube-scheduler
            verbs: ["get", "update", "watch"]
            namespaces: ["kube-system"]
            resources:
              - group: coordination.k8s.io
                resources: ["leases"]
          # Node heartbeats: every kubelet renews its lease in kube-node-lease.
          - level: None
            userGroups: ["system:nodes"]
            verbs: ["get", "update", "watch"]
            namespaces: ["kube-node-lease"]
            resources:
              - group: coordination.k8s.io
                resources: ["leases"]
          # Events are already a record of what happened, and the most numerous writes in a cluster.
          - level: None
            resources:
              - group: ""
                resources: ["events"]
              - group: events.k8s.io
                resources: ["events"]
          # Secrets, ConfigMaps, token reviews and service-account tokens carry credentials in their
          # bodies: log who touched them, never the bodies. This rule must stay before any rule that
          # logs Request or RequestResponse.
          - level: Metadata
            resources:
              - group: ""
                resources: ["secrets", "configmaps", "serviceaccounts/token"]
              - group: authentication.k8s.io
                resources: ["tokenreviews"]
          # Shells, attaches and port-forwards into Pods: who and where is what matters; their
          # bodies are only stream set-up.
          - level: Metadata
            resources:
              - group: ""
                resources: ["pods/exec", "pods/attach", "pods/portforward"]
          # RBAC changes: keep request and response, to see exactly what was granted or revoked.
          - level: RequestResponse
            verbs: ["create", "update", "patch", "delete", "deletecollection"]
            resources:
              - group: rbac.authorization.k8s.io
          # Every other change: keep what was asked for.
          - level: Request
            verbs: ["create", "update", "patch", "delete", "deletecollection"]
          # Reads: who read what is enough; list and watch responses are large.
          - level: Metadata
            verbs: ["get", "list", "watch"]
          # Everything else (other verbs, other non-resource URLs), so no request goes unlogged.
          - level: Metadata

        """.ReplaceLineEndings("\n");
}
