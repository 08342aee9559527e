using System.Management.Automation;
using KubeAudit.Core.Events;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Reads Kubernetes API-server audit events from log files.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeAuditEvent", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AuditEvent))]
public sealed class GetKubeAuditEventCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    #region Parameters

    /// <summary>Log files to read; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Log files to read, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in PathResolver.Resolve(this, literal ? LiteralPath : Path, literal, WriteError))
        {
            ReadFile(file);
        }
    }

    #endregion

    private void ReadFile(string file)
    {
        if (Directory.Exists(file))
        {
            WriteError(new ErrorRecord(
                new IOException($"'{file}' is a directory; give the log files in it, e.g. '{System.IO.Path.Combine(file, "*.log")}'."),
                "KubeAudit.PathIsDirectory",
                ErrorCategory.InvalidArgument,
                file));
            return;
        }

        AuditLogReader reader;
        try
        {
            reader = AuditLogReader.OpenFile(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(Errors.ReadFailed(file, ex));
            return;
        }

        using (reader)
        {
            IEnumerator<AuditLogRecord> records = reader.ReadRecords().GetEnumerator();
            using (records)
            {
                while (true)
                {
                    try
                    {
                        if (!records.MoveNext())
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
                    {
                        // A truncated .gz or a vanished file: report it, keep what was read, go on to the next file.
                        WriteError(Errors.ReadFailed(file, ex));
                        break;
                    }

                    var record = records.Current;
                    if (record.Event is { } ev)
                    {
                        WriteObject(ev);
                    }
                    else if (record.Error is { } error)
                    {
                        WriteError(Errors.FromDiagnostic(error));
                    }
                }
            }
        }
    }
}
