namespace KubeAudit.Core.Detections;

/// <summary>What a rule made of one event.</summary>
public enum Verdict
{
    /// <summary>The event is not what the rule looks for.</summary>
    NoMatch,

    /// <summary>The event is what the rule looks for.</summary>
    Match,

    /// <summary>The event could be a match, but the body the rule needs was not logged (level Metadata).</summary>
    BodyMissing,
}
