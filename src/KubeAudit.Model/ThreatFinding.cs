namespace KubeAudit;

/// <summary>One audit event that a threat rule flagged, with the rule's verdict in a line a person can read.</summary>
public sealed class ThreatFinding
{
    /// <summary>The rule's name, e.g. <c>Pod.Exec</c>.</summary>
    public string Rule { get; internal set; } = string.Empty;

    /// <summary>How urgent the finding is.</summary>
    public ThreatSeverity Severity { get; internal set; }

    /// <summary>The MITRE ATT&amp;CK technique ID (e.g. <c>T1609</c>), when one applies.</summary>
    public string? Technique { get; internal set; }

    /// <summary>The MITRE ATT&amp;CK technique's name, when one applies.</summary>
    public string? TechniqueName { get; internal set; }

    /// <summary>What happened, in one line, filled in from the event.</summary>
    public string Description { get; internal set; } = string.Empty;

    /// <summary>When the API server received the request (or the stage time when that is missing).</summary>
    public DateTimeOffset? Time { get; internal set; }

    /// <summary>The authenticated user (or, when authentication failed, the first source IP).</summary>
    public string? User { get; internal set; }

    /// <summary>The request's verb.</summary>
    public string? Verb { get; internal set; }

    /// <summary>The resource, with its subresource (<c>pods/exec</c>), or the URL path of a non-resource request.</summary>
    public string? Resource { get; internal set; }

    /// <summary>The object's namespace.</summary>
    public string? Namespace { get; internal set; }

    /// <summary>The object's name.</summary>
    public string? Name { get; internal set; }

    /// <summary>The event that triggered the finding (for a burst, the event that crossed the threshold).</summary>
    public AuditEvent? Event { get; internal set; }

    /// <summary>The file the event was read from, if any.</summary>
    public string? File { get; internal set; }

    /// <summary>The 1-based line of the event in <see cref="File"/>; 0 when unknown.</summary>
    public long Line { get; internal set; }

    /// <summary>Where the event was read, <c>file:line</c> (empty when unknown).</summary>
    public string Location => File is null ? (Line > 0 ? "line " + Line : string.Empty) : File + ":" + Line;

    /// <inheritdoc />
    public override string ToString() => $"{Severity} {Rule}: {Description}";
}
