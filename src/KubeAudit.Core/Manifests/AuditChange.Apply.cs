using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Manifests;

public sealed partial class AuditChange
{
    /// <summary>
    /// Writes the plan, all or nothing: the policy (0600), then the manifest, then the kubeadm configuration, each
    /// through a backup; when one fails, those before it are put back and their backups and folders removed.
    /// </summary>
    public AuditChangeResult Apply() => Apply(null);

    internal AuditChangeResult Apply(Action<string>? fault)
    {
        if (Refusal is not null || NothingToDo)
        {
            throw new InvalidOperationException(Refusal is null ? "There is nothing to apply." : "A refused change cannot be applied: " + Refusal.Message);
        }

        var result = new AuditChangeResult(this);
        var options = new ManifestWriteOptions { BackupRoot = BackupRoot, Fault = fault };
        if (Policy is { } policy && !WritePolicy(policy, options, result))
        {
            return result;
        }

        if (Manifest!.Changed && !WriteManifest(options, result))
        {
            return result;
        }

        if (KubeadmChanged && !WriteKubeadm(options, result))
        {
            return result;
        }

        // Made only once every write succeeded: a failed run leaves no folder behind.
        if (LogFolderToMake is { } folder && !OperatingSystem.IsWindows())
        {
            CreateLogFolder(folder, result);
        }

        return result;
    }

    private static bool WritePolicy(PolicyPlan policy, ManifestWriteOptions options, AuditChangeResult result)
    {
        if (policy.LooseMode is { } loose && !OperatingSystem.IsWindows())
        {
            // The same bytes need no write, but a policy others can read fails the CIS file-permission check.
            File.SetUnixFileMode(policy.File, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            result.Warn($"The audit policy {policy.File} was already in place with mode {loose}; its mode is now 0600, as the CIS benchmark asks.");
        }

        if (policy.State == PolicyState.Same)
        {
            return true;
        }

        var written = ManifestWriter.WritePolicy(policy.Text, policy.File, options);
        if (!written.Succeeded)
        {
            result.Failure = new AuditChangeRefusal(AuditChangeStep.Policy, written.Diagnostics, policy.File);
            return false;
        }

        result.Policy = written;
        foreach (var note in written.Diagnostics)
        {
            result.Verbose(note.Message);
        }

        result.Verbose($"Wrote the audit policy to {policy.File}{(written.BackupPath is null ? string.Empty : "; the previous one is at " + written.BackupPath)}.");
        return true;
    }

    private bool WriteManifest(ManifestWriteOptions options, AuditChangeResult result)
    {
        var written = ManifestWriter.Write(ManifestPath, Manifest!, options);
        if (!written.Succeeded)
        {
            TakeBackPolicy(result);
            result.Failure = new AuditChangeRefusal(AuditChangeStep.Manifest, written.Diagnostics, ManifestPath);
            result.RolledBack = true;
            return false;
        }

        result.Manifest = written;
        foreach (var change in Manifest!.Changes)
        {
            result.Verbose(change);
        }

        if (IsEnable)
        {
            foreach (var note in written.Diagnostics)
            {
                result.Verbose(note.Message);
            }
        }

        result.Verbose($"Changed {ManifestPath}; the original is at {written.BackupPath}.{(IsEnable ? string.Empty : " The policy file and the logs were left in place.")}");
        return true;
    }

    private bool WriteKubeadm(ManifestWriteOptions options, AuditChangeResult result)
    {
        var written = ManifestWriter.WriteKubeadmConfig(KubeadmConfigPath!, Kubeadm!, options);
        if (!written.Succeeded)
        {
            // All or nothing: the manifest and the policy go back as they were.
            var diagnostics = written.Diagnostics.ToList();
            if (result.ManifestBackup is { } backup)
            {
                var restored = ManifestWriter.Restore(ManifestPath, backup);
                if (restored.Succeeded)
                {
                    // Put back: the backup and the folders made for it go, so the failed run leaves nothing behind.
                    ManifestWriter.TakeBack(result.Manifest!);
                }
                else
                {
                    diagnostics.Add(new Diagnostic(DiagnosticCodes.ManifestWriteFailed, DiagnosticSeverity.Error,
                        $"The manifest {ManifestPath} could NOT be put back ({Messages(restored)}); copy {backup} over it by hand.", ManifestPath));
                }
            }

            TakeBackPolicy(result);
            result.Failure = new AuditChangeRefusal(AuditChangeStep.Kubeadm, diagnostics, KubeadmConfigPath!);
            result.RolledBack = true;
            return false;
        }

        result.Kubeadm = written;
        foreach (var change in Kubeadm!.Changes)
        {
            result.Verbose(change);
        }

        result.Verbose($"Changed {KubeadmConfigPath}; the original is at {written.BackupPath}. Update the kube-system/kubeadm-config ConfigMap to match before the next kubeadm upgrade.");
        return true;
    }

    // Created 0700 when the root (or the host root) is writable; otherwise the kubelet's DirectoryOrCreate makes it.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateLogFolder(string folder, AuditChangeResult result)
    {
        try
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            result.LogFolderMade = folder;
            result.Verbose($"Created the audit log folder {folder} with mode 0700.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            result.Verbose($"Could not create the audit log folder {folder} ({ex.Message}); the kubelet creates it when the Pod starts.");
        }
    }

    // A later step failed: the policy goes back as it was, and its backup and the folders its write made go.
    private void TakeBackPolicy(AuditChangeResult result)
    {
        if (result.Policy is { Written: true } written && RestorePolicy(Policy!.File, written.BackupPath, result))
        {
            ManifestWriter.TakeBack(written);
        }
    }

    private static bool RestorePolicy(string file, string? backup, AuditChangeResult result)
    {
        try
        {
            if (backup is null)
            {
                File.Delete(file);
            }
            else
            {
                File.Copy(backup, file, overwrite: true);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            result.Warn($"Could not put back the audit policy {file}{(backup is null ? string.Empty : " from " + backup)}: {ex.Message}");
            return false;
        }
    }

    private static string Messages(ManifestWriteResult written) => string.Join("; ", written.Diagnostics.Select(d => d.Message));
}
