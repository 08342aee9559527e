namespace KubeAudit.Core.Detections;

/// <summary>How the engine applies its rules.</summary>
public sealed class ThreatEngineOptions
{
    /// <summary>Findings below this severity are dropped.</summary>
    public ThreatSeverity MinimumSeverity { get; init; } = ThreatSeverity.Info;

    /// <summary>Allowed for every rule: user names, <c>group:</c> and <c>namespace:</c> entries, wildcards allowed.</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];

    /// <summary>Allow-lists that apply to some rules only (from rule files).</summary>
    public IReadOnlyList<ScopedAllowList> ScopedAllow { get; init; } = [];

    /// <summary>When true, rules' built-in allow-lists of system identities are not applied.</summary>
    public bool NoDefaultAllowList { get; init; }
}
