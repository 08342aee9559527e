namespace KubeAudit.Core.Detections;

/// <summary>A stateless rule made of a test: a built-in table entry, a YAML condition or a PowerShell script block.</summary>
public sealed class PredicateRule : DetectionRule
{
    private readonly Func<AuditEvent, (Verdict Verdict, string? Detail)> _test;

    /// <summary>A rule that applies <paramref name="test"/> to the events on <paramref name="resources"/> (null: every event).</summary>
    public PredicateRule(ThreatRule info, IReadOnlyList<string>? resources, Func<AuditEvent, (Verdict Verdict, string? Detail)> test)
        : base(info, resources) => _test = test;

    /// <inheritdoc />
    public override Verdict Evaluate(AuditEvent ev, out string? detail)
    {
        (var verdict, detail) = _test(ev);
        return verdict;
    }
}
