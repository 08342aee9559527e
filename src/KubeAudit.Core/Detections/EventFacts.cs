namespace KubeAudit.Core.Detections;

/// <summary>Questions rules ask of an event, answered without allocating.</summary>
public static class EventFacts
{
    /// <summary>The request was allowed and served: a 2xx or 101 (upgraded to a stream) response.</summary>
    public static bool Succeeded(AuditEvent ev) => ev.Code is { } code && ((code >= 200 && code < 300) || code == 101);

    /// <summary>The verb writes: create, update or patch.</summary>
    public static bool IsWrite(AuditEvent ev) => ev.Verb is "create" or "update" or "patch";

    /// <summary>The verb reads: get, list or watch.</summary>
    public static bool IsRead(AuditEvent ev) => ev.Verb is "get" or "list" or "watch";

    /// <summary>The verb removes: delete or deletecollection.</summary>
    public static bool IsDelete(AuditEvent ev) => ev.Verb is "delete" or "deletecollection";

    /// <summary>The user is one of Kubernetes' own identities (<c>system:</c> users, nodes, service accounts of kube-system).</summary>
    public static bool IsSystemUser(AuditEvent ev) => ev.Username is { } user && user.StartsWith("system:", StringComparison.Ordinal)
        && !user.StartsWith("system:serviceaccount:", StringComparison.Ordinal) || IsKubeSystemServiceAccount(ev);

    /// <summary>The user is a service account of kube-system (the built-in controllers).</summary>
    public static bool IsKubeSystemServiceAccount(AuditEvent ev) =>
        ev.Username is { } user && user.StartsWith("system:serviceaccount:kube-system:", StringComparison.Ordinal);

    /// <summary>The resource with its subresource (<c>pods/exec</c>), or the URL path (without query) of a non-resource request.</summary>
    public static string? ResourcePath(AuditEvent ev)
    {
        if (ev.ObjectRef is { Resource: { } resource } o)
        {
            return o.Subresource is { Length: > 0 } sub ? resource + "/" + sub : resource;
        }

        if (ev.RequestUri is { } uri)
        {
            var q = uri.IndexOf('?');
            return q < 0 ? uri : uri[..q];
        }

        return null;
    }

    /// <summary>The request's URL path without its query.</summary>
    public static string? Path(AuditEvent ev)
    {
        if (ev.RequestUri is not { } uri)
        {
            return null;
        }

        var q = uri.IndexOf('?');
        return q < 0 ? uri : uri[..q];
    }

    /// <summary>The object as <c>namespace/name</c>, <c>name</c>, or the namespace when there is no name.</summary>
    public static string Target(AuditEvent ev) => (ev.Namespace, ev.Name) switch
    {
        ({ Length: > 0 } ns, { Length: > 0 } name) => ns + "/" + name,
        (_, { Length: > 0 } name) => name,
        ({ Length: > 0 } ns, _) => "in namespace " + ns,
        _ => "(all namespaces)",
    };

    /// <summary>Who: the user name, or the first source IP when authentication failed.</summary>
    public static string Who(AuditEvent ev) =>
        ev.Username is { Length: > 0 } user ? user : ev.SourceIPs.Length > 0 ? ev.SourceIPs[0] : "(unknown)";

    /// <summary>The request's time: when it was received, else the stage time.</summary>
    public static DateTimeOffset? Time(AuditEvent ev) => ev.RequestReceivedTimestamp ?? ev.StageTimestamp;
}
