using System.Management.Automation;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Commands;

/// <summary>The threat commands' ErrorRecords (the rest of <see cref="Errors"/> is in Errors*.cs).</summary>
internal static partial class Errors
{
    /// <summary>Error ID <c>KubeAudit.ThreatRuleFailed</c>.</summary>
    public const string ThreatRuleFailedId = "KubeAudit.ThreatRuleFailed";

    /// <summary>Error ID <c>KubeAudit.UnknownRuleFile</c>.</summary>
    public const string UnknownRuleFileId = "KubeAudit.UnknownRuleFile";

    /// <summary>A rule in a rule file that cannot be used; the file is the target.</summary>
    public static ErrorRecord InvalidRule(string file, string message) =>
        new(new InvalidDataException(message), "KubeAudit." + DiagnosticCodes.InvalidThreatRule, ErrorCategory.InvalidData, file);

    /// <summary>A rule file that is neither YAML nor PowerShell.</summary>
    public static ErrorRecord UnknownRuleFile(string file) =>
        new(
            new ArgumentException($"'{file}' is not a rule file: use .yaml or .yml (rules as data) or .ps1 (rules with script blocks)."),
            UnknownRuleFileId,
            ErrorCategory.InvalidArgument,
            file);

    /// <summary>A script-block rule that threw; reported once per rule.</summary>
    public static ErrorRecord RuleFailed(string rule, RuntimeException exception) =>
        new(exception, ThreatRuleFailedId, ErrorCategory.InvalidOperation, rule)
        {
            ErrorDetails = new ErrorDetails($"Rule {rule} failed: {exception.Message} Later failures of this rule are not reported."),
        };
}
