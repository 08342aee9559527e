namespace KubeAudit.Core.Rbac;

/// <summary>
/// What the RBAC authorizer sees of one request (k8s.io/apiserver authorizer.Attributes): a resource
/// request (group, resource, subresource, namespace, name) or a non-resource request (path).
/// </summary>
public sealed record RequestAttributes
{
    /// <summary>The verb (get, list, create, ...; for non-resource requests the lower-case HTTP method).</summary>
    public string Verb { get; init; } = string.Empty;

    /// <summary>True for requests on API objects, false for non-resource URLs.</summary>
    public bool IsResourceRequest { get; init; }

    /// <summary>The API group; "" is the core group.</summary>
    public string ApiGroup { get; init; } = string.Empty;

    /// <summary>The resource, without subresource.</summary>
    public string Resource { get; init; } = string.Empty;

    /// <summary>The subresource (log, exec, status), or "".</summary>
    public string Subresource { get; init; } = string.Empty;

    /// <summary>The namespace; "" for cluster-scoped resources and all-namespace requests.</summary>
    public string Namespace { get; init; } = string.Empty;

    /// <summary>The object name the authorizer checks; "" when none.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The URL path of a non-resource request, without query string.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary><c>resource/subresource</c> or <c>resource</c>, as rules name it.</summary>
    public string ResourcePath => Subresource.Length > 0 ? Resource + "/" + Subresource : Resource;

    /// <inheritdoc />
    public override string ToString() => IsResourceRequest
        ? $"{Verb} {(ApiGroup.Length > 0 ? ApiGroup + "/" : string.Empty)}{ResourcePath}" +
          (Namespace.Length > 0 ? " -n " + Namespace : string.Empty) + (Name.Length > 0 ? " " + Name : string.Empty)
        : $"{Verb} {Path}";
}
