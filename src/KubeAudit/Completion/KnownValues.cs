namespace KubeAudit.Commands.Completion;

/// <summary>Values offered by tab completion; users may still type others.</summary>
internal static class KnownValues
{
    public static readonly string[] Verbs =
    [
        "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "proxy",
        "head", "options", "post", "put",
    ];

    public static readonly string[] Resources =
    [
        "pods", "pods/exec", "pods/attach", "pods/portforward", "pods/log", "pods/status", "pods/eviction", "pods/binding",
        "configmaps", "secrets", "serviceaccounts", "serviceaccounts/token", "services", "services/proxy", "endpoints",
        "endpointslices", "events", "namespaces", "nodes", "nodes/proxy", "nodes/status", "persistentvolumes",
        "persistentvolumeclaims", "leases", "deployments", "deployments/scale", "replicasets", "statefulsets",
        "daemonsets", "jobs", "cronjobs", "ingresses", "networkpolicies", "roles", "rolebindings", "clusterroles",
        "clusterrolebindings", "tokenreviews", "subjectaccessreviews", "selfsubjectaccessreviews",
        "certificatesigningrequests", "customresourcedefinitions", "mutatingwebhookconfigurations",
        "validatingwebhookconfigurations", "*/status", "*/scale",
    ];
}
