namespace KubeAudit;

/// <summary>
/// The request attributes an audit policy is evaluated against (the API server's
/// <c>authorizer.Attributes</c>). Build one by hand to ask what a policy would log, or map it
/// from a logged event. Null assignments become empty values, as in the API server.
/// </summary>
public sealed class AuditRequest
{
    private string[] _groups = [];
    private string _verb = string.Empty;
    private string _namespace = string.Empty;
    private string _apiGroup = string.Empty;
    private string _apiVersion = string.Empty;
    private string _resource = string.Empty;
    private string _subresource = string.Empty;
    private string _name = string.Empty;
    private string _path = string.Empty;

    /// <summary>
    /// The authenticated user's name; null means there is no user at all (a failed
    /// authentication), which fails every rule that names users or userGroups.
    /// </summary>
    public string? User { get; set; }

    /// <summary>The user's groups; ignored when <see cref="User"/> is null.</summary>
    public string[] Groups { get => _groups; set => _groups = value ?? []; }

    /// <summary>The Kubernetes verb (get, list, watch, create, ...), or the lower-case HTTP method for non-resource requests.</summary>
    public string Verb { get => _verb; set => _verb = value ?? string.Empty; }

    /// <summary>The namespace; <c>""</c> for cluster-scoped resources.</summary>
    public string Namespace { get => _namespace; set => _namespace = value ?? string.Empty; }

    /// <summary>The API group; <c>""</c> is the core group.</summary>
    public string ApiGroup { get => _apiGroup; set => _apiGroup = value ?? string.Empty; }

    /// <summary>The API version (not used by policy matching).</summary>
    public string ApiVersion { get => _apiVersion; set => _apiVersion = value ?? string.Empty; }

    /// <summary>The resource, plural and lower case (e.g. <c>pods</c>).</summary>
    public string Resource { get => _resource; set => _resource = value ?? string.Empty; }

    /// <summary>The subresource (e.g. <c>log</c>, <c>exec</c>), or <c>""</c>.</summary>
    public string Subresource { get => _subresource; set => _subresource = value ?? string.Empty; }

    /// <summary>The object name; <c>""</c> for create, list and watch (see the audit spec, §2.5).</summary>
    public string Name { get => _name; set => _name = value ?? string.Empty; }

    /// <summary>True for requests on API resources; false for non-resource URLs such as <c>/healthz</c>.</summary>
    public bool IsResourceRequest { get; set; }

    /// <summary>The URL path, percent-decoded, without the query; matched by nonResourceURLs.</summary>
    public string Path { get => _path; set => _path = value ?? string.Empty; }

    /// <inheritdoc />
    public override string ToString()
    {
        var who = User is null ? "(no user)" : User;
        if (!IsResourceRequest)
        {
            return $"{Verb} {Path} by {who}";
        }

        var resource = (ApiGroup.Length == 0 ? string.Empty : ApiGroup + ":") + Resource + (Subresource.Length == 0 ? string.Empty : "/" + Subresource);
        var where = Namespace.Length == 0 ? string.Empty : " in " + Namespace;
        var name = Name.Length == 0 ? string.Empty : " " + Name;
        return $"{Verb} {resource}{name}{where} by {who}";
    }
}
