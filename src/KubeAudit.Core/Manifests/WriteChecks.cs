using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// The checks a write makes before it touches anything, callable on their own so that -WhatIf refuses exactly as the
/// real run does, before either writes. Paths are compared as the kernel sees them: through every symbolic link.
/// </summary>
public static class WriteChecks
{
    /// <summary>
    /// Refuses a backup root inside the manifests folder of <paramref name="manifestPath"/> (also when a link leads
    /// there: the kubelet would run the backup as a second Pod) or one that cannot be made (it or a parent is a file).
    /// </summary>
    public static Diagnostic? BackupRoot(string manifestPath, string backupRoot)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        ArgumentNullException.ThrowIfNull(backupRoot);
        var manifest = RealPath(manifestPath);
        var folder = Path.GetDirectoryName(manifest)!;
        var root = RealPath(backupRoot);
        if (IsInside(root, folder))
        {
            return new Diagnostic(DiagnosticCodes.ManifestWriteFailed, DiagnosticSeverity.Error,
                $"The backup folder {Path.GetFullPath(backupRoot)} is inside the manifests folder {folder}; the kubelet would run the backup as a second Pod.", manifest);
        }

        return Creatable(backupRoot, "backup folder", manifest);
    }

    /// <summary>Refuses a folder that is not there and cannot be made because it, or a folder above it, is a file.</summary>
    public static Diagnostic? Creatable(string folder, string what, string target)
    {
        ArgumentNullException.ThrowIfNull(folder);
        for (var current = Path.GetFullPath(folder); !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (Directory.Exists(current))
            {
                return null;
            }

            if (File.Exists(current))
            {
                return new Diagnostic(DiagnosticCodes.ManifestWriteFailed, DiagnosticSeverity.Error,
                    current == Path.GetFullPath(folder)
                        ? $"The {what} {current} is a file; nothing was written."
                        : $"The {what} {Path.GetFullPath(folder)} cannot be made: {current} is a file; nothing was written.",
                    target);
            }
        }

        return null;
    }

    /// <summary>The absolute path with every symbolic link along it resolved; the part that does not exist yet is kept as given.</summary>
    public static string RealPath(string path) => RealPath(Path.GetFullPath(path), 0);

    /// <summary>True when <paramref name="candidate"/> is <paramref name="folder"/> or below it.</summary>
    public static bool IsInside(string candidate, string folder)
    {
        var c = Path.TrimEndingDirectorySeparator(candidate) + Path.DirectorySeparatorChar;
        var f = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        return c.StartsWith(f, StringComparison.Ordinal);
    }

    private static string RealPath(string full, int depth)
    {
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null && depth < 40)
            {
                try
                {
                    if (info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                    {
                        // The target's own folders may be links too.
                        next = RealPath(Path.GetFullPath(target.FullName), depth + 1);
                    }
                }
                catch (IOException)
                {
                    // A dangling or looping link: keep it as it is; the write that follows reports it.
                }
            }
            else if (!info.Exists && !Directory.Exists(next))
            {
                return Path.Combine([next, .. parts[(i + 1)..]]);
            }

            current = next;
        }

        return current;
    }
}
