using System.Management.Automation;
using KubeAudit.Core.Events;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Writes audit events to a JSON-lines audit log, each exactly as it was read, or as ECS documents (-Format Ecs).</para>
/// </summary>
[Cmdlet(VerbsData.Export, "KubeAuditEvent", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportKubeAuditEventCommand : OutputFileCommand, IDisposable
{
    private const string AuditLogFormat = "AuditLog";
    private const string EcsFormat = "Ecs";

    private AuditLogWriter? _writer;
    private string? _target;

    #region Parameters

    /// <summary>The events to write.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public AuditEvent? InputObject { get; set; }

    /// <summary>Write gzip (also when the path ends in .gz).</summary>
    [Parameter]
    public SwitchParameter Compress { get; set; }

    /// <summary>Add to the end of an existing file.</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Do not replace an existing file.</summary>
    [Parameter]
    [Alias("NoOverwrite")]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>
    /// What each line holds: AuditLog (the event exactly as read, the default) or Ecs (a document shaped like Elastic's
    /// Kubernetes integration, kubernetes.audit_logs, ready for _bulk or Filebeat).
    /// </summary>
    [Parameter]
    [ValidateSet(AuditLogFormat, EcsFormat)]
    public string Format { get; set; } = AuditLogFormat;

    /// <summary>With -Format Ecs, also keep each event's JSON in event.original (bodies make it large).</summary>
    [Parameter]
    public SwitchParameter IncludeOriginal { get; set; }

    /// <summary>Output the file written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (IncludeOriginal && !string.Equals(Format, EcsFormat, StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(Errors.IncludeOriginalNeedsEcs(IncludeOriginal));
        }

        var target = PathResolver.ResolveFileSystemOrStop(this, GivenPath);

        if (NoClobber && !Append && File.Exists(target))
        {
            ThrowTerminatingError(Errors.FileExists(target, remedy: null));
        }

        if (!ShouldProcess(target, Append ? "Append audit events" : "Write audit events"))
        {
            return;
        }

        try
        {
            var compress = Compress || target.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
            _writer = AuditLogWriter.Create(target, compress, Append);
            _target = target;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(Errors.WriteFailed(target, ex));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (_writer is null || InputObject is null)
        {
            return;
        }

        try
        {
            if (string.Equals(Format, EcsFormat, StringComparison.OrdinalIgnoreCase))
            {
                _writer.WriteEcs(InputObject, IncludeOriginal);
            }
            else
            {
                _writer.Write(InputObject);
            }
        }
        catch (InvalidOperationException ex)
        {
            WriteError(Errors.NoEventJson(InputObject, ex));
        }
        catch (IOException ex)
        {
            // The disk is full or gone: stop, and leave the target as it was.
            ThrowTerminatingError(Errors.WriteFailed(_target!, ex));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_writer is null)
        {
            return;
        }

        using (_writer)
        {
            _writer.Commit();
        }

        WriteVerbose($"Wrote {_writer.Count} events to {_target}.");
        if (PassThru)
        {
            WriteObject(new FileInfo(_target!));
        }

        _writer = null;
    }

    /// <summary>
    /// PowerShell disposes the cmdlet however the pipeline ends: a writer still open here was not
    /// committed (an error, Ctrl+C), so its temporary file goes and the target stays as it was.
    /// </summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }

    #endregion
}
