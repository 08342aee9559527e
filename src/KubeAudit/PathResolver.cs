using System.Management.Automation;

namespace KubeAudit.Commands;

/// <summary>
/// Resolves paths to file-system paths, the one way every command does (nothing else in the module calls the
/// provider's path resolution): -Path (wildcards) and -LiteralPath to existing files, each failing path giving one
/// error through the callback while the others still resolve; and single paths taken literally that need not exist
/// yet (a file to write, a checkpoint, a certificate, a folder to make). An unknown drive is InvalidPath, another
/// provider's path NotFileSystemPath.
/// </summary>
internal static class PathResolver
{
    /// <summary>Resolves each path in order, without duplicates.</summary>
    public static List<string> Resolve(PSCmdlet cmdlet, IEnumerable<string> paths, bool literal, Action<ErrorRecord> onError)
    {
        var resolved = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            foreach (var file in ResolveOne(cmdlet, path, literal, onError))
            {
                if (seen.Add(file))
                {
                    resolved.Add(file);
                }
            }
        }

        return resolved;
    }

    /// <summary>One file-system path, taken literally and resolved against the current location, that need not exist; null and an error otherwise.</summary>
    public static string? ResolveFileSystem(PSCmdlet cmdlet, string given, out ErrorRecord? error) =>
        FileSystemPaths(cmdlet, given, literal: true, out error)?.Single();

    /// <summary>As <see cref="ResolveFileSystem"/>, and a path that does not resolve stops the command with its error.</summary>
    public static string ResolveFileSystemOrStop(PSCmdlet cmdlet, string given)
    {
        var path = ResolveFileSystem(cmdlet, given, out var error);
        if (path is null)
        {
            cmdlet.ThrowTerminatingError(error!);
        }

        return path!;
    }

    private static List<string> ResolveOne(PSCmdlet cmdlet, string path, bool literal, Action<ErrorRecord> onError)
    {
        var files = FileSystemPaths(cmdlet, path, literal, out var error);
        if (files is null)
        {
            onError(error!);
            return [];
        }

        var existing = files.Where(f => File.Exists(f) || Directory.Exists(f)).ToList();
        if (existing.Count == 0)
        {
            onError(Errors.PathNotFound(path));
        }

        return existing;
    }

    // The provider paths of a -LiteralPath (one, need not exist) or a -Path (wildcards, existing ones); null and an error when not on the file system.
    private static IReadOnlyList<string>? FileSystemPaths(PSCmdlet cmdlet, string path, bool literal, out ErrorRecord? error)
    {
        error = null;
        try
        {
            ProviderInfo provider;
            IReadOnlyList<string> files = literal
                ? [cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _)]
                : [.. cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider)];
            if (provider.Name == "FileSystem")
            {
                return files;
            }

            error = Errors.NotFileSystemPath(path, provider.Name);
        }
        catch (ItemNotFoundException)
        {
            error = Errors.PathNotFound(path);
        }
        catch (Exception ex) when (ex is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or ArgumentException or NotSupportedException)
        {
            error = Errors.InvalidPath(path, ex);
        }

        return null;
    }
}
