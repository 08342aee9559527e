using System.Globalization;
using System.Text;
using KubeAudit.Core.ContainerLogs;

namespace KubeAudit.Core.Manifests;

/// <summary>What a rollback after a failed health check put back, and the report that says so.</summary>
/// <param name="ManifestRestored">True when the original manifest is back.</param>
/// <param name="KubeadmRestored">True or false when a kubeadm configuration was changed; null when none was.</param>
/// <param name="Message">The report: what did not answer, what was restored (or must be by hand), the API server's log errors.</param>
public sealed record AuditRestoreOutcome(bool ManifestRestored, bool? KubeadmRestored, string Message);

public sealed partial class AuditChange
{
    /// <summary>
    /// After the API server did not become healthy: puts back the manifest and, once it is back, the policy it was
    /// written with; puts back the kubeadm configuration whatever became of the manifest; reads the API server's
    /// container log under <paramref name="podLogFolder"/> for errors since the wait started. Warnings go to the result's notes.
    /// </summary>
    public static AuditRestoreOutcome RestoreAfterUnhealthy(AuditChangeResult applied, Uri uri, TimeSpan timeout, HealthWaitResult health, string podLogFolder)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(health);
        var change = applied.Change;
        var path = change.ManifestPath;
        var backup = applied.ManifestBackup ?? throw new InvalidOperationException("The manifest was not written; there is nothing to restore.");
        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture, $"kube-apiserver did not answer 200 at {uri} within {timeout} after {path} was changed; last: {health.Last}.");
        var restored = ManifestWriter.Restore(path, backup);
        if (restored.Succeeded)
        {
            report.Append(CultureInfo.InvariantCulture, $" The original manifest was restored from {backup}.");
            if (applied.Policy is { Written: true } policy)
            {
                RestorePolicy(change.Policy!.File, policy.BackupPath, applied);
            }
        }
        else
        {
            report.Append(CultureInfo.InvariantCulture, $" The original manifest could NOT be restored ({Messages(restored)}); copy {backup} over it by hand.");
        }

        // The kubeadm file is restored whatever became of the manifest: each outcome is reported on its own.
        bool? kubeadmRestored = null;
        if (applied.Kubeadm?.BackupPath is { } kubeadmBackup)
        {
            var kubeadm = ManifestWriter.Restore(change.KubeadmConfigPath!, kubeadmBackup);
            kubeadmRestored = kubeadm.Succeeded;
            report.Append(kubeadm.Succeeded
                ? $" The kubeadm configuration was restored from {kubeadmBackup}."
                : $" The kubeadm configuration could NOT be restored ({Messages(kubeadm)}); copy {kubeadmBackup} over {change.KubeadmConfigPath} by hand.");
        }

        AppendLogErrors(report, podLogFolder, health.Started);
        return new AuditRestoreOutcome(restored.Succeeded, kubeadmRestored, report.ToString());
    }

    private static void AppendLogErrors(StringBuilder report, string podLogFolder, DateTimeOffset since)
    {
        var log = CriLogReader.FindNewestLog(podLogFolder);
        var errors = CriLogReader.ReadErrors(podLogFolder, since.AddSeconds(-2));
        var older = false;
        if (errors.Count == 0)
        {
            errors = CriLogReader.ReadErrors(podLogFolder, null, 10);
            older = errors.Count > 0;
        }

        if (errors.Count > 0)
        {
            report.Append(Environment.NewLine).Append(CultureInfo.InvariantCulture, $"Errors in the kube-apiserver log {log}{(older ? " (from before the change)" : string.Empty)}:");
            foreach (var line in errors)
            {
                report.Append(Environment.NewLine).Append("  ").Append(line);
            }
        }
        else
        {
            report.Append(Environment.NewLine).Append(log is null
                ? $"No kube-apiserver container log was found under {podLogFolder}."
                : $"The kube-apiserver log {log} has no error lines.");
        }
    }
}
