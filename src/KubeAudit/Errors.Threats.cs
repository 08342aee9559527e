using System.Management.Automation;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Commands;

/// <summary>The threat commands' ErrorRecords (the rest of <see cref="Errors"/> is in Errors*.cs).</summary>
internal static partial class Errors
{
    /// <summary>Error ID <c>KubeAudit.ThreatRuleFailed</c>.</summary>
    public const string ThreatRuleFailedId = "KubeAudit.ThreatRuleFailed";

    /// <summary>Error ID <c>KubeAudit.ThreatRuleNotFound</c>.</summary>
    public const string ThreatRuleNotFoundId = "KubeAudit.ThreatRuleNotFound";

    /// <summary>Error ID <c>KubeAudit.InvalidBurstWindow</c>.</summary>
    public const string InvalidBurstWindowId = "KubeAudit.InvalidBurstWindow";

    /// <summary>Error ID <c>KubeAudit.InvalidThreatRule</c>.</summary>
    public const string InvalidThreatRuleId = "KubeAudit." + DiagnosticCodes.InvalidThreatRule;

    /// <summary>Error ID <c>KubeAudit.UnknownRuleFile</c>.</summary>
    public const string UnknownRuleFileId = "KubeAudit.UnknownRuleFile";

    /// <summary>A rule in a rule file that cannot be used; the file is the target.</summary>
    public static ErrorRecord InvalidRule(string file, string message) =>
        new(new InvalidDataException(message), InvalidThreatRuleId, ErrorCategory.InvalidData, file);

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

    /// <summary>A rule name without wildcards that names no rule (as Get-Item does); the name is the target.</summary>
    public static ErrorRecord ThreatRuleNotFound(string name) =>
        new(
            new ItemNotFoundException($"There is no threat rule named '{name}'."),
            ThreatRuleNotFoundId,
            ErrorCategory.ObjectNotFound,
            name);

    /// <summary>A -BurstWindow of zero or less; the window is the target.</summary>
    public static ErrorRecord InvalidBurstWindow(TimeSpan window) =>
        new(
#pragma warning disable CA2208 // The name is the cmdlet's parameter the user typed, not this method's.
            new ArgumentOutOfRangeException("BurstWindow", "The burst window must be longer than zero."),
#pragma warning restore CA2208
            InvalidBurstWindowId,
            ErrorCategory.InvalidArgument,
            window);
}
