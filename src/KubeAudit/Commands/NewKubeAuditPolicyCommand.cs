using System.Management.Automation;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Creates KubeAudit's recommended audit policy, as text or as a file.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "KubeAuditPolicy", DefaultParameterSetName = TextSet, SupportsShouldProcess = true)]
[OutputType(typeof(string), ParameterSetName = [TextSet])]
[OutputType(typeof(FileInfo), ParameterSetName = [PathSet, LiteralPathSet])]
public sealed class NewKubeAuditPolicyCommand : OutputFileCommand
{
    private const string TextSet = "Text";

    #region Parameters

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

        var written = NewFileWriter.WriteOrStop(this, GivenPath, Force, "audit-policy.yaml", "recommended audit policy", "Replace the audit policy", () => text);
        if (PassThru && written is not null)
        {
            WriteObject(written);
        }
    }

    #endregion
}
