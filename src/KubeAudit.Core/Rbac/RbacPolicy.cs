namespace KubeAudit.Core.Rbac;

/// <summary>What <see cref="RbacPolicyGenerator"/> made: roles, bindings, and what they came from.</summary>
public sealed class RbacPolicy
{
    /// <summary>The subject bound.</summary>
    public required RbacSubject Subject { get; init; }

    /// <summary>Roles (by namespace), then the ClusterRole.</summary>
    public required IReadOnlyList<RbacRole> Roles { get; init; }

    /// <summary>RoleBindings (by namespace), then the ClusterRoleBinding.</summary>
    public required IReadOnlyList<RbacBinding> Bindings { get; init; }

    /// <summary>The earliest event used.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The latest event used.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Events used (distinct audit IDs).</summary>
    public int EventCount { get; init; }

    /// <summary>For each role and rule, the requests behind it.</summary>
    public required IReadOnlyList<RuleEvidence> Evidence { get; init; }
}

/// <summary>One rule of a generated role and the distinct requests that made it necessary.</summary>
public sealed record RuleEvidence(RbacRole Role, PolicyRule Rule, IReadOnlyList<RequestUse> Requests);
