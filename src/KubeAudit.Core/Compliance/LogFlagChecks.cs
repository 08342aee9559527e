using System.Globalization;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Core.Compliance;

/// <summary>The audit-log flag family (CIS 1.2.16–1.2.19 in CIS 1.9–1.12): the log path and its mount, and the retention flags.</summary>
internal static class LogFlagChecks
{
    public static IEnumerable<ComplianceCheck> Evaluate(ComplianceContext context)
    {
        yield return LogPath(context);
        yield return Retention(context, CheckNames.AuditLogMaxAge, AuditFlags.LogMaxAge, context.Config?.LogMaxAge, context.Options.MinimumMaxAge, "days",
            "kube-apiserver then removes no old log by age");
        yield return Retention(context, CheckNames.AuditLogMaxBackup, AuditFlags.LogMaxBackup, context.Config?.LogMaxBackup, context.Options.MinimumMaxBackup, "files",
            "kube-apiserver then keeps every rotated file, with no stated retention");
        yield return Retention(context, CheckNames.AuditLogMaxSize, AuditFlags.LogMaxSize, context.Config?.LogMaxSize, context.Options.MinimumMaxSize, "MB",
            "kube-apiserver then rotates at its built-in size, which no setting records");
    }

    private static ComplianceCheck LogPath(ComplianceContext context)
    {
        const string name = CheckNames.AuditLogPath;
        var o = context.Options;
        if (context.Config is not { } config)
        {
            return CheckFactory.Make(o, name, CheckFactory.Failed, context.ManifestError!);
        }

        var value = config.LogPath;
        if (string.IsNullOrEmpty(value))
        {
            var webhook = string.IsNullOrEmpty(config.WebhookConfigFile) ? string.Empty : " (a webhook backend is set, but CIS asks for the log file)";
            return CheckFactory.Make(o, name, CheckFactory.Failed, $"--audit-log-path is not set in {config.ManifestPath}: the API server writes no audit log file{webhook}.");
        }

        if (value == "-")
        {
            return CheckFactory.Make(o, name, CheckFactory.Failed,
                $"--audit-log-path=-{context.At(AuditFlags.LogPath)} sends audit events to stdout, into the container log, not to a retained file.");
        }

        var problem = config.Problems.FirstOrDefault(p => p.Flag == AuditFlags.LogPath && p.Code is DiagnosticCodes.AuditFlagNotMounted or DiagnosticCodes.AuditLogFileMounted);
        if (problem is not null)
        {
            return CheckFactory.Make(o, name, CheckFactory.Failed, $"{problem.Message} Fix: {problem.Hint}");
        }

        var mount = context.MountOf(AuditFlags.LogPath);
        var folder = ManifestVolumes.Folder(value);
        var host = mount?.HostPath is { } h ? $" from the node folder {ManifestVolumes.Folder(h)}" : string.Empty;
        return CheckFactory.Make(o, name, CheckFactory.Passed,
            $"--audit-log-path={value}{context.At(AuditFlags.LogPath)}; its folder {folder} is mounted read-write{host} by volumeMount {mount?.Mount?.Name}.");
    }

    private static ComplianceCheck Retention(ComplianceContext context, string name, string flag, string? value, int minimum, string unit, string unsetEffect)
    {
        var o = context.Options;
        if (context.Config is not { } config)
        {
            return CheckFactory.Make(o, name, CheckFactory.Failed, context.ManifestError!);
        }

        var shown = value is null ? "not set" : $"--{flag}={value}{context.At(flag)}";
        if (o.ExternalRotation)
        {
            // The opt-in exception (kube-bench#580): rotation and retention are another tool's job.
            return CheckFactory.Make(o, name, CheckFactory.Skipped,
                $"Exception declared: audit logs are rotated outside kube-apiserver, so --{flag} is not judged ({shown}).");
        }

        if (value is null)
        {
            return CheckFactory.Make(o, name, CheckFactory.Failed,
                $"--{flag} is not set in {config.ManifestPath}; {unsetEffect}. Set it to at least {minimum} {unit}.");
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return CheckFactory.Make(o, name, CheckFactory.Failed, $"{shown} is not a whole number; kube-apiserver refuses to start.");
        }

        return number >= minimum
            ? CheckFactory.Make(o, name, CheckFactory.Passed, $"{shown}: at least {minimum} {unit}.")
            : CheckFactory.Make(o, name, CheckFactory.Failed, $"{shown}: below the minimum of {minimum} {unit}. Set --{flag}={minimum} or more.");
    }
}
