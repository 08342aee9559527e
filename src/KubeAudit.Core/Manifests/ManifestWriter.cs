using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// Replaces a static Pod manifest the way the kubelet needs: backup outside the manifests folder,
/// new content in a dot-prefixed temp file in the same folder (the kubelet ignores dot files),
/// fsync, then one rename. The rename is the only change to the original, so any failure before
/// it leaves the manifest byte-identical. The file mode is kept; the owner is kept only when the
/// caller is the owner (usually root), because .NET has no chown.
/// </summary>
public static class ManifestWriter
{
    private const UnixFileMode PolicyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes a verified edit over <paramref name="manifestPath"/>, which must still hold the edit's original text.</summary>
    public static ManifestWriteResult Write(string manifestPath, ManifestEditResult edit, ManifestWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        ArgumentNullException.ThrowIfNull(edit);
        options ??= new ManifestWriteOptions();
        var path = ThroughLinks(Path.GetFullPath(manifestPath));
        if (NothingToWrite(path, edit, "manifest") is { } early)
        {
            return early;
        }

        var backupRoot = Path.GetFullPath(options.BackupRoot);
        if (WriteChecks.BackupRoot(path, backupRoot) is { } refused)
        {
            return Fail(path, refused.Code, refused.Message);
        }

        if (ReadUnchanged(path, edit, "manifest", out var original) is { } stale)
        {
            return stale;
        }

        if (PodManifest.Parse(edit.NewText, path, out var parseError) is null)
        {
            return Fail(path, DiagnosticCodes.ManifestVerificationFailed, "The new content is not an API-server Pod: " + parseError?.Message);
        }

        return BackupAndReplace(path, original, edit, backupRoot, options, "manifest");
    }

    /// <summary>
    /// Writes a verified kubeadm configuration edit over <paramref name="configPath"/> (which must still hold the edit's
    /// original text) the same way as a manifest: backup under the backup root, dot-prefixed temp file, fsync, one rename.
    /// </summary>
    public static ManifestWriteResult WriteKubeadmConfig(string configPath, ManifestEditResult edit, ManifestWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configPath);
        ArgumentNullException.ThrowIfNull(edit);
        options ??= new ManifestWriteOptions();
        var path = ThroughLinks(Path.GetFullPath(configPath));
        if (NothingToWrite(path, edit, "kubeadm configuration") is { } early)
        {
            return early;
        }

        if (ReadUnchanged(path, edit, "kubeadm configuration", out var original) is { } stale)
        {
            return stale;
        }

        if (KubeadmConfigEditor.Check(edit.NewText) is { } why)
        {
            return Fail(path, DiagnosticCodes.ManifestVerificationFailed, "The new content is not a kubeadm configuration: " + why);
        }

        return BackupAndReplace(path, original, edit, Path.GetFullPath(options.BackupRoot), options, "kubeadm configuration");
    }

    // The file as it is now, refused when it no longer holds the text the edit was computed from.
    private static ManifestWriteResult? ReadUnchanged(string path, ManifestEditResult edit, string what, out byte[] original)
    {
        try
        {
            original = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            original = [];
            return Fail(path, DiagnosticCodes.ReadFailed, ex.Message);
        }

        return ManifestFile.Decode(original) == edit.OriginalText
            ? null
            : Fail(path, DiagnosticCodes.ManifestWriteFailed, $"The {what} changed since the edit was computed; compute it again.");
    }

    private static ManifestWriteResult BackupAndReplace(string path, byte[] original, ManifestEditResult edit, string backupRoot, ManifestWriteOptions options, string what)
    {
        var mode = OperatingSystem.IsWindows() ? (UnixFileMode?)null : File.GetUnixFileMode(path);
        string? backup = null;
        string? made = null;
        var removed = new List<Diagnostic>();
        try
        {
            options.Fault?.Invoke("backup");
            backup = Backup(path, original, backupRoot, mode, out made);
            removed = Replace(path, ManifestFile.Encode(edit.NewText, ManifestFile.HasBom(original)), mode, options.Fault);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The original is untouched, so the backup is not needed: a failed write leaves nothing it made.
            Discard(backup, made);
            return WriteFailed(path, null, $"The {what} was left unchanged: " + ex.Message);
        }

        return new ManifestWriteResult { Path = path, Written = true, BackupPath = backup, Diagnostics = removed, BackupFolderMade = made };
    }

    /// <summary>
    /// Puts the backup <paramref name="backupPath"/> a write made back over <paramref name="manifestPath"/>, the same
    /// way: dot-prefixed temp file in the manifests folder, fsync, one rename; the file mode is kept. The backup stays.
    /// </summary>
    public static ManifestWriteResult Restore(string manifestPath, string backupPath, ManifestWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        ArgumentNullException.ThrowIfNull(backupPath);
        options ??= new ManifestWriteOptions();
        var path = ThroughLinks(Path.GetFullPath(manifestPath));
        byte[] content;
        try
        {
            content = File.ReadAllBytes(backupPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(path, DiagnosticCodes.ReadFailed, "Cannot read the backup " + backupPath + ": " + ex.Message);
        }

        try
        {
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
            {
                return new ManifestWriteResult { Path = path, BackupPath = backupPath };
            }

            var mode = OperatingSystem.IsWindows() || !File.Exists(path) ? (UnixFileMode?)null : File.GetUnixFileMode(path);
            Replace(path, content, mode, options.Fault);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return WriteFailed(path, backupPath, "The backup could not be put back: " + ex.Message);
        }

        return new ManifestWriteResult { Path = path, Written = true, BackupPath = backupPath };
    }

    /// <summary>Installs a policy from text at <paramref name="destination"/> with mode 0600; an invalid policy is refused.</summary>
    public static ManifestWriteResult WritePolicy(string policyText, string destination, ManifestWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policyText);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new ManifestWriteOptions();
        var path = ThroughLinks(Path.GetFullPath(destination));
        var check = PolicyChecker.CheckText(policyText, path);
        if (!check.IsValid)
        {
            var first = string.Join("; ", check.Findings.Where(f => f.Severity == "Error").Take(3).Select(f => $"line {f.Line}: {f.Message}"));
            return Fail(path, DiagnosticCodes.InvalidAuditPolicy, "The policy is not valid, nothing was written: " + first);
        }

        var bytes = ManifestFile.Encode(policyText, bom: false);
        string? backup = null;
        string? made = null;
        string? madeFolder = null;
        var removed = new List<Diagnostic>();
        try
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllBytes(path);
                if (existing.AsSpan().SequenceEqual(bytes))
                {
                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(path, PolicyMode);
                    }

                    return new ManifestWriteResult { Path = path };
                }

                options.Fault?.Invoke("backup");
                backup = Backup(path, existing, Path.GetFullPath(options.BackupRoot), PolicyMode, out made);
            }

            madeFolder = MakeFolder(Path.GetDirectoryName(path)!);
            removed = Replace(path, bytes, OperatingSystem.IsWindows() ? null : PolicyMode, options.Fault);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Discard(backup, made);
            Discard(null, madeFolder);
            return WriteFailed(path, null, "The policy was not written: " + ex.Message);
        }

        return new ManifestWriteResult { Path = path, Written = true, BackupPath = backup, Diagnostics = removed, BackupFolderMade = made, FolderMade = madeFolder };
    }

    /// <summary>Installs the policy in the file <paramref name="sourcePath"/> at <paramref name="destination"/>.</summary>
    public static ManifestWriteResult WritePolicyFile(string sourcePath, string destination, ManifestWriteOptions? options = null)
    {
        try
        {
            var text = PolicyBytes.Decode(File.ReadAllBytes(sourcePath), sourcePath, out var refused);
            return refused is null
                ? WritePolicy(text, destination, options)
                : Fail(Path.GetFullPath(destination), DiagnosticCodes.InvalidAuditPolicy, "The policy is not valid, nothing was written: " + refused);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(Path.GetFullPath(destination), DiagnosticCodes.ReadFailed, ex.Message);
        }
    }

    // kubeaudit-backup-<UTC time>/<name>, like kubeadm's kubeadm-backup-manifests-<time>.
    private static string Backup(string path, byte[] content, string backupRoot, UnixFileMode? mode, out string? made)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var folder = Path.Combine(backupRoot, "kubeaudit-backup-" + stamp);
        for (var n = 2; Directory.Exists(folder); n++)
        {
            folder = Path.Combine(backupRoot, $"kubeaudit-backup-{stamp}-{n}");
        }

        made = MakeFolder(folder);
        var backup = Path.Combine(folder, Path.GetFileName(path));
        try
        {
            WriteSynced(backup, content, mode);
            if (!File.ReadAllBytes(backup).AsSpan().SequenceEqual(content))
            {
                throw new IOException("The backup " + backup + " does not read back equal to the original.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Discard(File.Exists(backup) ? backup : null, made);
            made = null;
            throw;
        }

        return backup;
    }

    // Makes the folder (0700) and any missing parents; returns the topmost one made, or null when it was there.
    private static string? MakeFolder(string folder)
    {
        string? top = null;
        for (var current = Path.GetFullPath(folder); current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            top = current;
        }

        if (top is null)
        {
            return null;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, FolderMode);
        }

        return top;
    }

    /// <summary>
    /// After the caller put <paramref name="written"/>'s file back as it was (a later step failed), removes the backup
    /// that write made and the folders it made, so the failed run leaves nothing behind.
    /// </summary>
    public static void TakeBack(ManifestWriteResult written)
    {
        ArgumentNullException.ThrowIfNull(written);
        if (!written.Written)
        {
            return;
        }

        Discard(written.BackupPath, written.BackupFolderMade);
        Discard(null, written.FolderMade);
    }

    /// <summary>
    /// Takes back what a write made when it or a later step failed: the backup file, then each folder from the
    /// backup's up to <paramref name="madeFolder"/> (the topmost one the write made) while it is empty.
    /// </summary>
    public static void Discard(string? backupFile, string? madeFolder)
    {
        try
        {
            if (backupFile is not null)
            {
                File.Delete(backupFile);
            }

            if (madeFolder is null)
            {
                return;
            }

            var stop = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(madeFolder));
            var current = backupFile is null ? madeFolder : Path.GetDirectoryName(backupFile);
            while (Directory.Exists(madeFolder) && current is not null && current != stop && WriteChecks.IsInside(current, madeFolder))
            {
                RemoveEmptyTree(current);
                current = Path.GetDirectoryName(current);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: what is left is an empty folder or a copy of the original, never a change.
        }
    }

    // Removes the folder and the folders below it when none of them holds a file.
    private static void RemoveEmptyTree(string folder)
    {
        if (!Directory.Exists(folder) || Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any())
        {
            return;
        }

        Directory.Delete(folder, recursive: true);
    }

    // Returns a note per stale temp file of an interrupted earlier run that it removed.
    private static List<Diagnostic> Replace(string path, byte[] content, UnixFileMode? mode, Action<string>? fault)
    {
        var folder = Path.GetDirectoryName(path)!;
        var removed = RemoveStaleTemps(path);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.kubeaudit-{Guid.NewGuid():N}.tmp");
        try
        {
            WriteSynced(temporary, content, mode);
            fault?.Invoke("temp-written");
            if (!File.ReadAllBytes(temporary).AsSpan().SequenceEqual(content))
            {
                throw new IOException("The temporary file does not read back equal to the new content.");
            }

            fault?.Invoke("before-rename");
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            // The create mode was narrowed by the umask; set it exactly.
            File.SetUnixFileMode(path, m);
        }

        return removed;
    }

    // A run killed between writing its temp file and the rename leaves a hidden .<name>.kubeaudit-<guid>.tmp behind.
    // Only ours (that exact shape), and only when older than a minute: a younger one may belong to a run still going.
    private static List<Diagnostic> RemoveStaleTemps(string path)
    {
        var removed = new List<Diagnostic>();
        var folder = Path.GetDirectoryName(path)!;
        var prefix = "." + Path.GetFileName(path) + ".kubeaudit-";
        try
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles(prefix + "*.tmp"))
            {
                var id = file.Name[prefix.Length..^".tmp".Length];
                if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower) || file.LastWriteTimeUtc > DateTime.UtcNow.AddMinutes(-1))
                {
                    continue;
                }

                file.Delete();
                removed.Add(new Diagnostic(DiagnosticCodes.StaleTempFileRemoved, DiagnosticSeverity.Info,
                    $"Removed {file.Name}, a temporary file an interrupted earlier run left beside {Path.GetFileName(path)}.", file.FullName));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not ours to insist on: the write itself goes ahead.
        }

        return removed;
    }

    private static void WriteSynced(string path, byte[] content, UnixFileMode? mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (mode is { } m && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = m;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        if (mode is { } exact && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, exact);
        }
    }

    // A path that is a symbolic link is edited at its final target, in the target's folder, and the link is kept:
    // replacing the link by a file would silently undo itself when configuration management restores the link.
    private static string ThroughLinks(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } target ? Path.GetFullPath(target.FullName) : path;
        }
        catch (IOException)
        {
            return path; // a dangling or looping link: the read that follows reports it
        }
    }

    private static ManifestWriteResult Fail(string path, string code, string message) =>
        new() { Path = path, Diagnostics = [new Diagnostic(code, DiagnosticSeverity.Error, message, path)] };

    private static ManifestWriteResult WriteFailed(string path, string? backup, string message) => new()
    {
        Path = path,
        BackupPath = backup,
        Diagnostics = [new Diagnostic(DiagnosticCodes.ManifestWriteFailed, DiagnosticSeverity.Error, message, path)],
    };

    // A failed or unverified edit is refused, an unchanged one needs no write: either way the file is not touched.
    private static ManifestWriteResult? NothingToWrite(string path, ManifestEditResult edit, string what)
    {
        if (!edit.Succeeded || !edit.Verified)
        {
            return Fail(path, DiagnosticCodes.ManifestVerificationFailed, $"The edit failed or was not verified; the {what} was not touched.");
        }

        return edit.Changed ? null : new ManifestWriteResult { Path = path };
    }
}
