using System.Management.Automation;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Creates KubeAudit's recommended audit policy, as text or as a file.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "KubeAuditPolicy", DefaultParameterSetName = TextSet, SupportsShouldProcess = true)]
[OutputType(typeof(string), ParameterSetName = [TextSet])]
[OutputType(typeof(FileInfo), ParameterSetName = [PathSet, LiteralPathSet])]
public sealed class NewKubeAuditPolicyCommand : PSCmdlet
{
    private const string TextSet = "Text";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    #region Parameters

    /// <summary>The policy file to write.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The policy file to write, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = string.Empty;

    /// <summary>Replace an existing file.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Output the file written.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public SwitchParameter PassThru { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var text = RecommendedPolicy.Build();
        if (ParameterSetName == TextSet)
        {
            WriteObject(text);
            return;
        }

        var given = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
        var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out var provider, out _);
        if (provider.Name != "FileSystem")
        {
            ThrowTerminatingError(Errors.NotFileSystemPath(given, provider.Name));
        }

        if (Directory.Exists(target))
        {
            ThrowTerminatingError(Errors.PathIsDirectory(target, "audit-policy.yaml"));
        }

        var exists = File.Exists(target);
        if (exists && !Force)
        {
            ThrowTerminatingError(Errors.FileExists(target));
        }

        if (!ShouldProcess(target, exists ? "Replace the audit policy" : "Write the recommended audit policy"))
        {
            return;
        }

        try
        {
            PolicyFileWriter.Write(target, text, overwrite: Force);
        }
        catch (IOException) when (!Force && File.Exists(target))
        {
            // Another process created it after the check above; it is left as it is.
            ThrowTerminatingError(Errors.FileExists(target));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(Errors.WriteFailed(target, ex));
        }

        WriteVerbose($"Wrote the recommended audit policy to {target}.");
        if (PassThru)
        {
            WriteObject(new FileInfo(target));
        }
    }

    #endregion
}
