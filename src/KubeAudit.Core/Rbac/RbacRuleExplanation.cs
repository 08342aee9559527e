namespace KubeAudit.Core.Rbac;

/// <summary>Why a generated rule is there: one of the distinct requests behind it, how often and when it was made.</summary>
public sealed class RbacRuleExplanation
{
    /// <summary>Role or ClusterRole.</summary>
    public required string RoleKind { get; init; }

    /// <summary>The role's namespace; "" for the ClusterRole.</summary>
    public required string Namespace { get; init; }

    /// <summary>The role's name.</summary>
    public required string RoleName { get; init; }

    /// <summary>The rule as the table shows it (<see cref="PolicyRule.Text"/>), so Where-Object Rule works on it.</summary>
    public string Rule => PolicyRule.Text;

    /// <summary>The rule itself: verbs, API groups, resources, names and URLs.</summary>
    public required PolicyRule PolicyRule { get; init; }

    /// <summary>The request (verb, resource, namespace, name or URL) as the authorizer saw it.</summary>
    public required RequestAttributes Request { get; init; }

    /// <summary>Events (distinct audit IDs) that made the request.</summary>
    public int Count { get; init; }

    /// <summary>How many of them were denied.</summary>
    public int Denied { get; init; }

    /// <summary>The first time it was made.</summary>
    public DateTimeOffset? FirstSeen { get; init; }

    /// <summary>The last time it was made.</summary>
    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>The events themselves.</summary>
    public IReadOnlyList<AuditEvent> Events { get; init; } = [];

    /// <summary>One explanation per rule and request of <paramref name="policy"/>, in the order of the YAML.</summary>
    public static IEnumerable<RbacRuleExplanation> From(RbacPolicy policy) =>
        policy.Evidence.SelectMany(e => e.Requests.Select(u => new RbacRuleExplanation
        {
            RoleKind = e.Role.Kind,
            Namespace = e.Role.Namespace,
            RoleName = e.Role.Name,
            PolicyRule = e.Rule,
            Request = u.Request,
            Count = u.Count,
            Denied = u.Denied,
            FirstSeen = u.First,
            LastSeen = u.Last,
            Events = u.Events,
        }));

    /// <inheritdoc />
    public override string ToString() => $"{Rule} <- {Request} ({Count})";
}
