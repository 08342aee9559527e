namespace KubeAudit;

/// <summary>A detection rule as Get-KubeAuditThreatRule lists it: what it finds, how urgent, and where it comes from.</summary>
public sealed class ThreatRule
{
    /// <summary>The rule's name, unique among the rules in use, e.g. <c>Pod.Exec</c>.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>The severity of its findings.</summary>
    public ThreatSeverity Severity { get; internal set; }

    /// <summary>The MITRE ATT&amp;CK technique ID, when one applies.</summary>
    public string? Technique { get; internal set; }

    /// <summary>The MITRE ATT&amp;CK technique's name, when one applies.</summary>
    public string? TechniqueName { get; internal set; }

    /// <summary>The one-line description template; <c>{user}</c>, <c>{verb}</c>, <c>{resource}</c>, <c>{namespace}</c>, <c>{name}</c> and <c>{detail}</c> are filled from the event.</summary>
    public string Description { get; internal set; } = string.Empty;

    /// <summary><c>BuiltIn</c>, or the path of the rule file the rule was read from.</summary>
    public string Source { get; internal set; } = "BuiltIn";

    /// <summary>False when the rule is excluded (by -ExcludeRule, -Rule or a rule file's <c>disable</c> list).</summary>
    public bool Enabled { get; internal set; } = true;

    /// <summary>What the rule matches, as text.</summary>
    public string Condition { get; internal set; } = string.Empty;

    /// <summary>True when the rule reads request or response bodies, so it sees nothing in a log written at level Metadata.</summary>
    public bool NeedsRequestBodies { get; internal set; }

    /// <summary>Identities the rule ignores by default (user names, or <c>group:</c> names; wildcards allowed).</summary>
    public string[] AllowList { get; internal set; } = [];

    /// <summary>Free tags, e.g. <c>rbac</c>, <c>workload</c>.</summary>
    public string[] Tags { get; internal set; } = [];

    /// <summary>The line of the rule in its file; 0 for built-in rules.</summary>
    public int Line { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
