using KubeAudit.Core.Detections.BuiltIn;

namespace KubeAudit.Commands.Completion;

/// <summary>Completes the names of the built-in threat rules.</summary>
public sealed class ThreatRuleCompleter() : ListCompleter(BuiltInRules.Create().Select(r => r.Info.Name).ToArray());
