namespace KubeAudit.Core.Tests.Policy;

/// <summary>The request and rule fixtures of kubernetes/apiserver checker_test.go (audit spec §2.9).</summary>
internal static class CheckerFixtures
{
    public const string Tim = "tim@k8s.io";

    public static AuditRequest Request(string id) => id switch
    {
        "namespaced" => new AuditRequest
        {
            User = Tim, Groups = ["humans", "developers"], Verb = "get", Namespace = "default", ApiGroup = "", ApiVersion = "v1",
            Resource = "pods", Name = "busybox", IsResourceRequest = true, Path = "/api/v1/namespaces/default/pods/busybox",
        },
        "cluster" => new AuditRequest
        {
            User = Tim, Groups = ["humans", "developers"], Verb = "get", Namespace = "", ApiGroup = "rbac.authorization.k8s.io", ApiVersion = "v1beta1",
            Resource = "clusterroles", Name = "edit", IsResourceRequest = true, Path = "/apis/rbac.authorization.k8s.io/v1beta1/clusterroles/edit",
        },
        "nonResource" => new AuditRequest
        {
            User = Tim, Groups = ["humans", "developers"], Verb = "get", IsResourceRequest = false, Path = "/logs/kubelet.log",
        },
        "subresource" => new AuditRequest
        {
            User = Tim, Groups = ["humans", "developers"], Verb = "get", Namespace = "default", ApiGroup = "", ApiVersion = "v1",
            Resource = "pods", Subresource = "log", Name = "busybox", IsResourceRequest = true, Path = "/api/v1/namespaces/default/pods/busybox",
        },
        "Unauthorized" => new AuditRequest
        {
            User = null, Verb = "get", Namespace = "default", ApiGroup = "", ApiVersion = "v1",
            Resource = "pods", Name = "busybox", IsResourceRequest = true, Path = "/api/v1/namespaces/default/pods/busybox",
        },
        "ClusterRoleUpdate" => new AuditRequest
        {
            User = Tim, Groups = ["humans", "developers"], Verb = "update", Namespace = "", ApiGroup = "rbac.authorization.k8s.io", ApiVersion = "v1beta1",
            Resource = "clusterroles", Subresource = "status", Name = "somerole", IsResourceRequest = true, Path = "/apis/rbac.authorization.k8s.io/v1beta1/clusterroles/somerole",
        },
        _ => throw new ArgumentException(id),
    };

    public static AuditPolicyRule Rule(string id) => id switch
    {
        "default" => new() { Level = "Metadata" },
        "create" => new() { Level = "Request", Verbs = ["create"] },
        "tims" => new() { Level = "Metadata", Users = [Tim] },
        "humans" => new() { Level = "Metadata", UserGroups = ["humans"] },
        "serviceAccounts" => new() { Level = "Request", UserGroups = ["system:serviceaccounts"] },
        "getPods" => new() { Level = "RequestResponse", Verbs = ["get"], Resources = [PolicyBuilder.Group("", ["pods"])] },
        "getPodLogs" => new() { Level = "Request", Verbs = ["get"], Resources = [PolicyBuilder.Group("", ["pods/log"])] },
        "getPodWildcardMatching" => new() { Level = "Request", Verbs = ["get"], Resources = [PolicyBuilder.Group("", ["*"])] },
        "getPodResourceWildcardMatching" => new() { Level = "Request", Verbs = ["get"], Resources = [PolicyBuilder.Group("", ["*/log"])] },
        "getPodSubResourceWildcardMatching" => new() { Level = "Request", Verbs = ["get"], Resources = [PolicyBuilder.Group("", ["pods/*"])] },
        "getClusterRoles" => new() { Level = "RequestResponse", Verbs = ["get"], Resources = [PolicyBuilder.Group("rbac.authorization.k8s.io", ["clusterroles"])], Namespaces = [""] },
        "getGroupWildCardMatchingWithSubresourceWildcardMatching" => new() { Level = "RequestResponse", Verbs = ["update"], Resources = [PolicyBuilder.Group("*", ["*/status"])] },
        "getLogs" => new() { Level = "RequestResponse", Verbs = ["get"], NonResourceURLs = ["/logs*"] },
        "getMetrics" => new() { Level = "Request", Verbs = ["get"], NonResourceURLs = ["/metrics"] },
        "clusterRoleEdit" => new() { Level = "Request", Resources = [PolicyBuilder.Group("rbac.authorization.k8s.io", ["clusterroles"], ["edit"])] },
        "omit RequestReceived" => new() { Level = "Request", OmitStages = ["RequestReceived"] },
        "only audit panic" => new() { Level = "Request", OmitStages = ["RequestReceived", "ResponseStarted", "ResponseComplete"] },
        _ => throw new ArgumentException(id),
    };

    /// <summary>testAuditLevel: (#, request, rules, expected level).</summary>
    public static readonly (int Number, string Request, string[] Rules, string Level)[] AuditLevelCases =
    [
        (1, "namespaced", ["default"], "Metadata"),
        (2, "namespaced", ["create"], "None"),
        (3, "namespaced", ["tims"], "Metadata"),
        (4, "namespaced", ["humans"], "Metadata"),
        (5, "namespaced", ["serviceAccounts"], "None"),
        (6, "namespaced", ["getPods"], "RequestResponse"),
        (7, "namespaced", ["getClusterRoles"], "None"),
        (8, "namespaced", ["getLogs"], "None"),
        (9, "namespaced", ["getMetrics"], "None"),
        (10, "namespaced", ["getMetrics", "serviceAccounts", "default"], "Metadata"),
        (11, "namespaced", ["getMetrics", "getPods", "default"], "RequestResponse"),
        (12, "namespaced", ["getPodLogs", "getPods"], "RequestResponse"),
        (13, "cluster", ["default"], "Metadata"),
        (14, "cluster", ["create"], "None"),
        (15, "cluster", ["tims"], "Metadata"),
        (16, "cluster", ["humans"], "Metadata"),
        (17, "cluster", ["serviceAccounts"], "None"),
        (18, "cluster", ["getPods"], "None"),
        (19, "cluster", ["getClusterRoles"], "RequestResponse"),
        (20, "cluster", ["clusterRoleEdit", "getClusterRoles"], "Request"),
        (21, "cluster", ["getLogs"], "None"),
        (22, "cluster", ["getMetrics"], "None"),
        (23, "cluster", ["getMetrics", "serviceAccounts", "default"], "Metadata"),
        (24, "cluster", ["getMetrics", "getClusterRoles", "default"], "RequestResponse"),
        (25, "cluster", ["getPodLogs", "getPods"], "None"),
        (26, "nonResource", ["default"], "Metadata"),
        (27, "nonResource", ["create"], "None"),
        (28, "nonResource", ["tims"], "Metadata"),
        (29, "nonResource", ["humans"], "Metadata"),
        (30, "nonResource", ["serviceAccounts"], "None"),
        (31, "nonResource", ["getPods"], "None"),
        (32, "nonResource", ["getClusterRoles"], "None"),
        (33, "nonResource", ["getLogs"], "RequestResponse"),
        (34, "nonResource", ["getMetrics"], "None"),
        (35, "nonResource", ["getMetrics", "serviceAccounts", "default"], "Metadata"),
        (36, "nonResource", ["getLogs", "getClusterRoles", "default"], "RequestResponse"),
        (37, "nonResource", ["getPodLogs", "getPods"], "None"),
        (38, "subresource", ["getPodLogs", "getPods"], "Request"),
        (39, "subresource", ["getPodWildcardMatching"], "Request"),
        (40, "subresource", ["getPodResourceWildcardMatching"], "Request"),
        (41, "subresource", ["getPodSubResourceWildcardMatching"], "Request"),
        (42, "Unauthorized", ["tims"], "None"),
        (43, "Unauthorized", ["tims", "default"], "Metadata"),
        (44, "Unauthorized", ["humans"], "None"),
        (45, "Unauthorized", ["humans", "default"], "Metadata"),
        (46, "ClusterRoleUpdate", ["getGroupWildCardMatchingWithSubresourceWildcardMatching"], "RequestResponse"),
    ];

    public static AuditPolicy PolicyOf(string[] ruleIds, string[] policyOmitStages, bool omitManagedFields = false) =>
        PolicyBuilder.Build(ruleIds.Select(Rule).ToArray(), policyOmitStages, omitManagedFields);
}
