namespace KubeAudit.Core.Compliance;

/// <summary>Builds check records: the benchmark's ID for the check, its title with the thresholds in force, its tags.</summary>
internal static class CheckFactory
{
    public const string Passed = "Passed";
    public const string Failed = "Failed";
    public const string Skipped = "Skipped";

    public static ComplianceCheck Make(ComplianceOptions options, string name, string result, string evidence)
    {
        var id = BenchmarkCatalog.IdOf(options.Benchmark, name);
        var tags = new List<string> { id, name, CheckNames.AreaOf(name) };
        if (BenchmarkCatalog.IsBenchmarkItem(options.Benchmark, name))
        {
            tags.Add("CIS");
        }

        return new ComplianceCheck
        {
            Id = id,
            Name = name,
            Title = TitleOf(name, options),
            Benchmark = options.Benchmark,
            Result = result,
            Evidence = evidence,
            Tags = [.. tags],
        };
    }

    public static string TitleOf(string name, ComplianceOptions o) => name switch
    {
        CheckNames.AuditLogPath => "The API server writes an audit log file (--audit-log-path) in a folder mounted from the node",
        CheckNames.AuditLogMaxAge => $"Rotated audit logs are kept at least {o.MinimumMaxAge} days (--audit-log-maxage)",
        CheckNames.AuditLogMaxBackup => $"At least {o.MinimumMaxBackup} rotated audit log files are kept (--audit-log-maxbackup)",
        CheckNames.AuditLogMaxSize => $"The audit log rotates at {o.MinimumMaxSize} MB or more (--audit-log-maxsize)",
        CheckNames.AuditPolicyFile => "An audit policy file is set (--audit-policy-file), mounted, present and valid",
        CheckNames.PolicyCredentialsAtMetadata => "Secret, ConfigMap and TokenReview requests are logged at exactly Metadata (never their bodies)",
        CheckNames.PolicyPodAccessLogged => "pods/exec, pods/attach and pods/portforward requests are logged",
        CheckNames.PolicyRbacChangesLogged => "Changes to RBAC roles and bindings are logged",
        CheckNames.PolicyWorkloadChangesLogged => "Changes to Pods and Deployments are logged",
        CheckNames.PolicyHasCatchAll => "No kind of request is dropped silently for want of a catch-all rule",
        CheckNames.LogFilePermissions => "Audit log files and their folder are not accessible to other users",
        CheckNames.LogRecentlyWritten => $"The audit log was written in the last {FormatSpan(o.MaximumLogIdle)}",
        _ => name,
    };

    public static string FormatSpan(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalHours % 24 == 0 ? Plural((int)span.TotalDays, "day")
        : span.TotalHours >= 1 && span.TotalMinutes % 60 == 0 ? Plural((int)span.TotalHours, "hour")
        : span.TotalMinutes >= 1 ? Plural((int)Math.Round(span.TotalMinutes), "minute")
        : Plural((int)Math.Round(span.TotalSeconds), "second");

    private static string Plural(int n, string unit) => n == 1 ? $"{unit}" : $"{n} {unit}s";
}
