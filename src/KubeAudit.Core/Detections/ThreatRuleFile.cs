using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Detections;

/// <summary>What a rule file gave: its usable rules, allow-lists and disabled rule names, and its problems.</summary>
/// <param name="Rules">The rules that loaded.</param>
/// <param name="Allow">Allow-lists, each for all rules or for the rules it names.</param>
/// <param name="Disable">Names (wildcards) of rules the file turns off.</param>
/// <param name="Diagnostics">Problems, with file and line; a rule with an error is left out, the others load.</param>
public sealed record ThreatRuleFile(
    IReadOnlyList<DetectionRule> Rules,
    IReadOnlyList<ScopedAllowList> Allow,
    IReadOnlyList<string> Disable,
    IReadOnlyList<Diagnostic> Diagnostics);
