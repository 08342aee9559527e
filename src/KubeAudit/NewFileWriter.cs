using System.Management.Automation;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// How the New- commands write their file (New-KubeAuditPolicy, New-KubeAuditWebhookConfig, New-KubeAuditRbacPolicy -OutFile): the path resolved on the file system, a
/// folder or (without -Force) an existing file refused, the cmdlet's ShouldProcess asked, then <see cref="PolicyFileWriter"/>
/// writes it all or nothing, 0600. A refused or failed write leaves an existing file as it was.
/// </summary>
internal static class NewFileWriter
{
    /// <summary>Writes the file, or stops the cmdlet with why not.</summary>
    /// <param name="cmdlet">The New- command: its ShouldProcess, errors and verbose stream.</param>
    /// <param name="given">The path as given (taken literally).</param>
    /// <param name="force">-Force: replace an existing file.</param>
    /// <param name="typicalName">A file name to suggest when <paramref name="given"/> is a folder.</param>
    /// <param name="what">What is written, for ShouldProcess and the verbose line ("the {what}").</param>
    /// <param name="replaceAction">The ShouldProcess action when a file is there already (e.g. "Replace the audit policy").</param>
    /// <param name="content">The file's text, made once the target is known to be writable.</param>
    /// <returns>The file written, or null when ShouldProcess declined (-WhatIf, or No at -Confirm).</returns>
    public static FileInfo? WriteOrStop(PSCmdlet cmdlet, string given, bool force, string typicalName, string what, string replaceAction, Func<string> content)
    {
        var target = PathResolver.ResolveFileSystemOrStop(cmdlet, given);
        if (Directory.Exists(target))
        {
            cmdlet.ThrowTerminatingError(Errors.PathIsDirectory(target, typicalName));
        }

        var exists = File.Exists(target);
        if (exists && !force)
        {
            cmdlet.ThrowTerminatingError(Errors.FileExists(target));
        }

        var text = content();
        if (!cmdlet.ShouldProcess(target, exists ? replaceAction : $"Write the {what}"))
        {
            return null;
        }

        try
        {
            PolicyFileWriter.Write(target, text, overwrite: force);
        }
        catch (IOException) when (!force && File.Exists(target))
        {
            // Another process created it after the check above; it is left as it is.
            cmdlet.ThrowTerminatingError(Errors.FileExists(target));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            cmdlet.ThrowTerminatingError(Errors.WriteFailed(target, ex));
        }

        cmdlet.WriteVerbose($"Wrote the {what} to {target}.");
        return new FileInfo(target);
    }
}
