using System.Management.Automation;

namespace KubeAudit.Commands;

/// <summary>
/// Resolves -Path (wildcards) and -LiteralPath to file-system paths. Every path that fails
/// gives one error through the callback; the others still resolve.
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

    private static IEnumerable<string> ResolveOne(PSCmdlet cmdlet, string path, bool literal, Action<ErrorRecord> onError)
    {
        try
        {
            ProviderInfo provider;
            IEnumerable<string> files;
            if (literal)
            {
                files = [cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _)];
            }
            else
            {
                files = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
            }

            if (provider.Name != "FileSystem")
            {
                onError(Errors.NotFileSystemPath(path, provider.Name));
                return [];
            }

            var existing = files.Where(f => File.Exists(f) || Directory.Exists(f)).ToList();
            if (existing.Count == 0)
            {
                onError(Errors.PathNotFound(path));
            }

            return existing;
        }
        catch (ItemNotFoundException)
        {
            onError(Errors.PathNotFound(path));
        }
        catch (Exception ex) when (ex is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or PSArgumentException)
        {
            onError(new ErrorRecord(ex, "KubeAudit.InvalidPath", ErrorCategory.InvalidArgument, path));
        }

        return [];
    }
}
