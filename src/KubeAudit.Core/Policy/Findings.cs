namespace KubeAudit.Core.Policy;

/// <summary>Builds <see cref="PolicyFinding"/>s; keeps severities and the rule's position consistent.</summary>
internal static class Findings
{
    public const string Error = "Error";
    public const string Warning = "Warning";
    public const string Info = "Info";

    /// <summary>An error kube-apiserver rejects the policy for.</summary>
    public static PolicyFinding Rejected(string code, string path, string message, string? hint, AuditPolicy policy, AuditPolicyRule? rule) =>
        Make(Error, code, path, message, hint, policy.File, rule, rejected: true);

    /// <summary>A warning about a rule (or, with no rule, the whole policy).</summary>
    public static PolicyFinding Warn(string code, string? path, string message, string? hint, AuditPolicy policy, AuditPolicyRule? rule) =>
        Make(Warning, code, path, message, hint, policy.File, rule, rejected: false);

    public static PolicyFinding Make(string severity, string code, string? path, string message, string? hint, string? file, AuditPolicyRule? rule, bool rejected) =>
        new()
        {
            Severity = severity,
            Code = code,
            Path = path,
            Message = message,
            Hint = hint,
            File = file,
            RuleIndex = rule?.Index,
            Line = rule?.Line ?? 0,
            Column = rule?.Column ?? 0,
            RejectedByApiServer = rejected,
        };

    /// <summary>Errors before warnings before infos; then by line, keeping the order found within a line.</summary>
    public static List<PolicyFinding> Sort(IEnumerable<PolicyFinding> findings) =>
        findings
            .Select((f, i) => (f, i))
            .OrderBy(x => SeverityRank(x.f.Severity))
            .ThenBy(x => x.f.Line == 0 ? int.MaxValue : x.f.Line)
            .ThenBy(x => x.i)
            .Select(x => x.f)
            .ToList();

    private static int SeverityRank(string severity) => severity switch
    {
        Error => 0,
        Warning => 1,
        _ => 2,
    };
}
