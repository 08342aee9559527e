namespace KubeAudit;

/// <summary>
/// One problem found in an audit policy: an error kube-apiserver rejects (KA1xxx), or a warning about
/// something it accepts but that probably does not do what was meant (KA2xxx).
/// </summary>
public sealed class PolicyFinding
{
    /// <summary><c>Error</c>, <c>Warning</c> or <c>Info</c>.</summary>
    public string Severity { get; internal set; } = "Error";

    /// <summary>Stable code, e.g. <c>KA1004</c>.</summary>
    public string Code { get; internal set; } = string.Empty;

    /// <summary>0-based index of the rule concerned; null for the policy as a whole.</summary>
    public int? RuleIndex { get; internal set; }

    /// <summary>1-based line in the policy file; 0 when unknown.</summary>
    public int Line { get; internal set; }

    /// <summary>1-based column in the policy file; 0 when unknown.</summary>
    public int Column { get; internal set; }

    /// <summary>What is wrong. Starts with the field path; for API-server errors it is the API server's own text.</summary>
    public string Message { get; internal set; } = string.Empty;

    /// <summary>A one-line fix.</summary>
    public string? Hint { get; internal set; }

    /// <summary>The field path, as the API server writes it (e.g. <c>rules[2].level</c>, <c>rules[0].resources.group</c>).</summary>
    public string? Path { get; internal set; }

    /// <summary>The policy file.</summary>
    public string? File { get; internal set; }

    /// <summary>
    /// True when kube-apiserver refuses to start with this policy because of this finding. Some errors
    /// (unknown fields) are accepted by the API server but change what a rule matches.
    /// </summary>
    public bool RejectedByApiServer { get; internal set; }

    /// <summary>Where, as <c>file:line:column</c>.</summary>
    public string Location =>
        (File ?? "<policy>") + (Line > 0 ? ":" + Line + (Column > 0 ? ":" + Column : string.Empty) : string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"{Location}: {Severity} {Code}: {Message}";
}
