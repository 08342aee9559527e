namespace KubeAudit;

/// <summary>The object a resource request acted on (audit.k8s.io ObjectReference).</summary>
public sealed class ObjectReference
{
    /// <summary>Resource name, plural and lower case (e.g. <c>pods</c>).</summary>
    public string? Resource { get; internal set; }

    /// <summary>Namespace; empty or null for cluster-scoped resources.</summary>
    public string? Namespace { get; internal set; }

    /// <summary>Object name.</summary>
    public string? Name { get; internal set; }

    /// <summary>Object UID.</summary>
    public string? Uid { get; internal set; }

    /// <summary>API group; empty for the core group.</summary>
    public string? ApiGroup { get; internal set; }

    /// <summary>API version (the version only, e.g. <c>v1</c>).</summary>
    public string? ApiVersion { get; internal set; }

    /// <summary>Resource version.</summary>
    public string? ResourceVersion { get; internal set; }

    /// <summary>Subresource (e.g. <c>exec</c>, <c>status</c>).</summary>
    public string? Subresource { get; internal set; }

    /// <summary><c>resource</c> or <c>resource/subresource</c>, as audit policies name it.</summary>
    public string? ResourcePath => Subresource is { Length: > 0 } ? Resource + "/" + Subresource : Resource;

    /// <inheritdoc />
    public override string ToString()
    {
        var where = string.IsNullOrEmpty(Namespace) ? string.Empty : Namespace + "/";
        return string.IsNullOrEmpty(Name) ? ResourcePath ?? string.Empty : $"{ResourcePath} {where}{Name}";
    }
}
