namespace KubeAudit.Core.Detections.Yaml;

/// <summary>
/// A rule read from YAML. When its condition reads bodies and the event has none, it answers
/// <see cref="Verdict.BodyMissing"/> if everything else in the condition holds, so the user hears the log
/// cannot show what the rule looks for.
/// </summary>
internal sealed class YamlRule(ThreatRule info, IReadOnlyList<string>? resources, Condition.All condition) : DetectionRule(info, resources)
{
    private readonly Condition[] _withoutBodies = condition.Parts.Where(p => p is not Condition.AtPath { Path.ReadsBody: true }).ToArray();

    public override Verdict Evaluate(AuditEvent ev, out string? detail)
    {
        detail = null;
        if (Info.NeedsRequestBodies && ev.RequestObject is null && ev.ResponseObject is null)
        {
            return _withoutBodies.Length < condition.Parts.Count && _withoutBodies.All(p => p.Test(ev)) ? Verdict.BodyMissing : Verdict.NoMatch;
        }

        return condition.Test(ev) ? Verdict.Match : Verdict.NoMatch;
    }
}
