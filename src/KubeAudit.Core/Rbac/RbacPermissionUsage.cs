namespace KubeAudit.Core.Rbac;

/// <summary>One row of Compare-KubeAuditRbac: a grant and its use, or a request no grant allows.</summary>
public sealed class RbacPermissionUsage
{
    /// <summary>Status of a grant some request used.</summary>
    public const string Used = nameof(Used);

    /// <summary>Status of a grant no request in the window used.</summary>
    public const string Unused = nameof(Unused);

    /// <summary>Status of a request no grant allows.</summary>
    public const string Missing = nameof(Missing);

    /// <summary>The subject (user, service account or group).</summary>
    public required string Subject { get; init; }

    /// <summary>Used, Unused or Missing.</summary>
    public required string Status { get; init; }

    /// <summary>Where it applies: the binding's namespace, or the request's; "" for cluster-wide.</summary>
    public required string Namespace { get; init; }

    /// <summary>The binding (Kind namespace/name); "" for Missing.</summary>
    public string Binding { get; init; } = string.Empty;

    /// <summary>The role (Kind name); "" for Missing.</summary>
    public string Role { get; init; } = string.Empty;

    /// <summary>The rule (<see cref="PolicyRule.Text"/>) or the request, in short: what the table shows.</summary>
    public required string Permission { get; init; }

    /// <summary>The rule granted; null for Missing.</summary>
    public PolicyRule? Rule { get; init; }

    /// <summary>The request not granted; null for a grant.</summary>
    public RequestAttributes? Request { get; init; }

    /// <summary>Requests (distinct audit IDs) that used the grant or were not granted.</summary>
    public int Count { get; init; }

    /// <summary>How many of them the log shows as denied.</summary>
    public int Denied { get; init; }

    /// <summary>First use in the window.</summary>
    public DateTimeOffset? FirstUsed { get; init; }

    /// <summary>Last use in the window.</summary>
    public DateTimeOffset? LastUsed { get; init; }

    /// <summary>The earliest event read: "Unused" means unused since then.</summary>
    public DateTimeOffset? WindowStart { get; init; }

    /// <summary>The latest event read.</summary>
    public DateTimeOffset? WindowEnd { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Status} {Subject} {Namespace} {Permission} ({Count})";
}
