namespace KubeAudit.Core.Rbac;

/// <summary>
/// Turns an audit event into what the RBAC authorizer decided on: the effective subject (the impersonated
/// user where there is one) and the request attributes.
/// </summary>
public static class EventRequest
{
    /// <summary>The user the request was authorized as: the impersonated user, else the authenticated one.</summary>
    public static UserInfo EffectiveUser(AuditEvent ev) =>
        ev.ImpersonatedUser is { Username.Length: > 0 } impersonated ? impersonated : ev.User;

    /// <summary>
    /// The request's attributes, or null when the event has no verb. Query strings are cut from non-resource
    /// paths (the authorizer sees the path only). A <c>create</c> loses its name, since the authorizer sees none
    /// (POST to the collection); a create on a subresource (pods/exec, serviceaccounts/token) keeps it, since
    /// there the name is in the path and authorized. audit2rbac clears it there too, granting exec into every pod.
    /// </summary>
    public static RequestAttributes? From(AuditEvent ev)
    {
        if (string.IsNullOrEmpty(ev.Verb))
        {
            return null;
        }

        if (ev.ObjectRef is not { } o)
        {
            return new RequestAttributes { Verb = ev.Verb, IsResourceRequest = false, Path = PathOnly(ev.RequestUri) };
        }

        var subresource = o.Subresource ?? string.Empty;
        var name = ev.Verb == "create" && subresource.Length == 0 ? string.Empty : o.Name ?? string.Empty;
        return new RequestAttributes
        {
            Verb = ev.Verb,
            IsResourceRequest = true,
            ApiGroup = o.ApiGroup ?? string.Empty,
            Resource = o.Resource ?? string.Empty,
            Subresource = subresource,
            Namespace = o.Namespace ?? string.Empty,
            Name = name,
        };
    }

    /// <summary>
    /// What kube-apiserver's impersonation filter authorized for the real user before the request, as logged in
    /// <c>impersonatedUser</c> (verb <c>impersonate</c>): the service account (namespaced, by name) or the user;
    /// each group but those the filter adds itself (system:authenticated, and a service account's
    /// system:serviceaccounts and system:serviceaccounts:ns); the uid and each extra value (authentication.k8s.io
    /// <c>uids</c>, <c>userextras/key</c>). Nothing without an impersonated user.
    /// </summary>
    public static IEnumerable<RequestAttributes> Impersonations(AuditEvent ev)
    {
        if (ev.ImpersonatedUser is not { Username: { Length: > 0 } name } target)
        {
            yield break;
        }

        var added = new List<string> { "system:authenticated" };
        var account = name.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) ? name[ServiceAccountPrefix.Length..].Split(':') : [];
        if (account is [{ Length: > 0 } ns, { Length: > 0 } sa])
        {
            yield return Impersonate(string.Empty, "serviceaccounts", string.Empty, ns, sa);
            added.Add("system:serviceaccounts");
            added.Add("system:serviceaccounts:" + ns);
        }
        else
        {
            yield return Impersonate(string.Empty, "users", string.Empty, string.Empty, name);
        }

        foreach (var group in target.Groups.Where(g => !added.Contains(g)).Distinct(StringComparer.Ordinal))
        {
            yield return Impersonate(string.Empty, "groups", string.Empty, string.Empty, group);
        }

        if (!string.IsNullOrEmpty(target.Uid))
        {
            yield return Impersonate(AuthenticationGroup, "uids", string.Empty, string.Empty, target.Uid);
        }

        foreach (var (key, values) in target.Extra)
        {
            foreach (var value in values)
            {
                yield return Impersonate(AuthenticationGroup, "userextras", key, string.Empty, value);
            }
        }
    }

    private const string ServiceAccountPrefix = "system:serviceaccount:";
    private const string AuthenticationGroup = "authentication.k8s.io";

    private static RequestAttributes Impersonate(string group, string resource, string subresource, string ns, string name) => new()
    {
        Verb = "impersonate",
        IsResourceRequest = true,
        ApiGroup = group,
        Resource = resource,
        Subresource = subresource,
        Namespace = ns,
        Name = name,
    };

    /// <summary>
    /// Whether the authorizer refused the request: the <c>authorization.k8s.io/decision</c> annotation says
    /// <c>forbid</c>, or, without that annotation, the response was 403.
    /// </summary>
    public static bool IsDenied(AuditEvent ev)
    {
        if (ev.Annotations.TryGetValue("authorization.k8s.io/decision", out var decision))
        {
            return decision == "forbid";
        }

        return ev.Code == 403;
    }

    /// <summary>When the request happened: its received time, else its stage time.</summary>
    public static DateTimeOffset? Time(AuditEvent ev) => ev.RequestReceivedTimestamp ?? ev.StageTimestamp;

    private static string PathOnly(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return string.Empty;
        }

        var cut = uri.AsSpan().IndexOfAny('?', '#');
        return cut < 0 ? uri : uri[..cut];
    }
}
