namespace KubeAudit.Core.Rbac;

/// <summary>
/// What kube-apiserver's bootstrap policy grants every authenticated user (ClusterRoles system:discovery,
/// system:public-info-viewer and system:basic-user, bound to system:authenticated; public-info also to
/// system:unauthenticated). Requests these allow need no generated rule. audit2rbac's list dates from 2017
/// and misses /livez, /readyz, /version/ and the self-reviews, and matched "/api*" as a prefix.
/// </summary>
public static class AlwaysAllowed
{
    private static readonly PolicyRule s_publicInfo = new()
    {
        Verbs = ["get"],
        NonResourceUrls = ["/healthz", "/livez", "/readyz", "/version", "/version/"],
    };

    private static readonly PolicyRule[] s_authenticated =
    [
        new() { Verbs = ["get"], NonResourceUrls = ["/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*"] },
        s_publicInfo,
        new() { Verbs = ["create"], ApiGroups = ["authorization.k8s.io"], Resources = ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
        new() { Verbs = ["create"], ApiGroups = ["authentication.k8s.io"], Resources = ["selfsubjectreviews"] },
    ];

    /// <summary>The rules every authenticated user holds.</summary>
    public static IReadOnlyList<PolicyRule> AuthenticatedRules => s_authenticated;

    /// <summary>
    /// Whether <paramref name="request"/> by <paramref name="user"/> in <paramref name="groups"/> is allowed by the
    /// bootstrap roles. A user other than system:anonymous whose event lists no groups is taken as authenticated
    /// (the API server adds system:authenticated to every authenticated user).
    /// </summary>
    public static bool Allows(RequestAttributes request, string user, IReadOnlyList<string> groups)
    {
        var authenticated = groups.Contains("system:authenticated", StringComparer.Ordinal)
            || (groups.Count == 0 && user.Length > 0 && user != "system:anonymous");
        if (authenticated)
        {
            return s_authenticated.Any(r => RuleMatcher.Allows(r, request));
        }

        return groups.Contains("system:unauthenticated", StringComparer.Ordinal) && RuleMatcher.Allows(s_publicInfo, request);
    }
}
