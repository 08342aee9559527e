using System.Text;

namespace KubeAudit.Core.Policy;

/// <summary>
/// Writes a file kube-apiserver reads (an audit policy, a webhook kubeconfig) the way such files should be
/// written: all or nothing (a dot-prefixed temporary file in the same folder, flushed to disk, then renamed
/// over the target) and readable by its owner only (0600 on Unix), since a policy tells an attacker what is
/// not logged and a webhook kubeconfig may hold a bearer token.
/// </summary>
public static class PolicyFileWriter
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM) to <paramref name="path"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="text">The content.</param>
    /// <param name="overwrite">Replace an existing file; without it an existing file is left untouched.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or writing failed.</exception>
    public static void Write(string path, string text, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var target = Path.GetFullPath(path);
        if (!overwrite && File.Exists(target))
        {
            throw new IOException($"The file '{target}' already exists.");
        }

        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                // Created 0600 from the start, so the content is never readable by others, even briefly.
                options.UnixCreateMode = OwnerOnly;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            // Without overwrite, a file that appeared meanwhile makes the rename fail rather than be replaced.
            File.Move(temporary, target, overwrite);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
