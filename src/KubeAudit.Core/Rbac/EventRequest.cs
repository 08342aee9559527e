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
