using System.Management.Automation;
using KubeAudit.Core.Events;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Converts audit event text (JSON lines, pretty JSON, EventLists, legacy lines, cloud exports) into audit events.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "KubeAuditEvent")]
[OutputType(typeof(AuditEvent))]
public sealed class ConvertFromKubeAuditEventCommand : PSCmdlet, IDisposable
{
    private TextFeed? _feed;

    #region Parameters

    /// <summary>Text holding audit events: one line, many lines, or a whole document per string.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[] InputObject { get; set; } = [];

    /// <summary>A name for the input in errors and in the events' File property.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string SourceName { get; set; } = "InputObject";

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing() => _feed = new TextFeed(SourceName);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var text in InputObject)
        {
            Emit(_feed!.Push(text ?? string.Empty));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => Emit(_feed!.Complete());

    /// <inheritdoc />
    public void Dispose() => _feed?.Dispose();

    #endregion

    private void Emit(IReadOnlyList<AuditLogRecord> records)
    {
        foreach (var record in records)
        {
            RecordWriter.Write(this, record);
        }
    }
}
