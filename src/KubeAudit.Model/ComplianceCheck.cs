namespace KubeAudit;

/// <summary>One compliance check on a node's audit setup: what it asks, the outcome and the evidence for it.</summary>
public sealed class ComplianceCheck
{
    /// <summary>The benchmark's ID for the check (e.g. <c>1.2.17</c> in CIS 1.12), or KubeAudit's own (<c>KA-LOG-1</c>) where the benchmark has none.</summary>
    public string Id { get; internal set; } = string.Empty;

    /// <summary>The stable name of the check, the same in every benchmark version (e.g. <c>AuditLogMaxAge</c>).</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>What the check asks, in words a reviewer understands.</summary>
    public string Title { get; internal set; } = string.Empty;

    /// <summary>The benchmark the ID belongs to (e.g. <c>CIS-1.12</c>).</summary>
    public string Benchmark { get; internal set; } = string.Empty;

    /// <summary><c>Passed</c>, <c>Failed</c> or <c>Skipped</c>.</summary>
    public string Result { get; internal set; } = "Skipped";

    /// <summary>What was found: the values, files and rules that decided the result, or why the check was skipped.</summary>
    public string Evidence { get; internal set; } = string.Empty;

    /// <summary>Tags for selecting checks: the ID, the name and the area (<c>AuditLog</c>, <c>AuditPolicy</c>, <c>LogFiles</c>, <c>CIS</c>).</summary>
    public string[] Tags { get; internal set; } = [];

    /// <inheritdoc />
    /// <remarks>A failed check carries its evidence, so the list of a result's checks says why.</remarks>
    public override string ToString() => Result == "Failed" && Evidence.Length > 0 ? $"{Id} {Name}: {Result}: {Evidence}" : $"{Id} {Name}: {Result}";
}
