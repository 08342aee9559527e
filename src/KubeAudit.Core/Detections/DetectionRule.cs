namespace KubeAudit.Core.Detections;

/// <summary>
/// A detection: its description (<see cref="Info"/>) and the test it applies to each event. Rules see
/// events in log order, one at a time, on one thread, so stateful rules need no locks.
/// </summary>
public abstract class DetectionRule
{
    /// <summary>A rule described by <paramref name="info"/> that looks only at events on <paramref name="resources"/> (null: every event).</summary>
    protected DetectionRule(ThreatRule info, IReadOnlyList<string>? resources)
    {
        Info = info;
        Resources = resources;
    }

    /// <summary>The rule as users see it.</summary>
    public ThreatRule Info { get; }

    /// <summary>The resources (<c>pods</c>, <c>secrets</c>; "" for non-resource requests) whose events the rule looks at, or null for every event.</summary>
    /// <remarks>The engine indexes rules by resource, so most events meet only a rule or two.</remarks>
    public IReadOnlyList<string>? Resources { get; }

    /// <summary>Whether <paramref name="ev"/> is a match; <paramref name="detail"/> fills <c>{detail}</c> in the description.</summary>
    public abstract Verdict Evaluate(AuditEvent ev, out string? detail);
}
