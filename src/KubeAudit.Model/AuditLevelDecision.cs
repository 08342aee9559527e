namespace KubeAudit;

/// <summary>What an audit policy decides for one request: the level, the omitted stages and the rule that decided.</summary>
public sealed class AuditLevelDecision
{
    /// <summary>None, Metadata, Request or RequestResponse; None when no rule matched.</summary>
    public string Level { get; internal set; } = "None";

    /// <summary>
    /// Stages that produce no event: the policy's omitStages joined with the matching rule's, without
    /// duplicates, in the order RequestReceived, ResponseStarted, ResponseComplete, Panic.
    /// </summary>
    public string[] OmitStages { get; internal set; } = [];

    /// <summary>Whether managedFields are dropped from logged bodies (the rule's setting, else the policy's).</summary>
    public bool OmitManagedFields { get; internal set; }

    /// <summary>0-based index of the rule that matched; null when none did.</summary>
    public int? RuleIndex { get; internal set; }

    /// <summary>1-based line of the rule that matched in its file; null when none did.</summary>
    public int? RuleLine { get; internal set; }

    /// <summary>The rule that matched; null when none did.</summary>
    public AuditPolicyRule? Rule { get; internal set; }

    /// <summary>The request evaluated.</summary>
    public AuditRequest Request { get; internal set; } = new();

    /// <summary>The logged event the request was taken from, when there was one.</summary>
    public AuditEvent? Event { get; internal set; }

    /// <inheritdoc />
    public override string ToString() =>
        RuleIndex is { } index ? $"{Level} (rules[{index}])" : $"{Level} (no rule matched)";
}
