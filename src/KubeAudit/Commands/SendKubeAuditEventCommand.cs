using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using KubeAudit.Core.Events.Follow;
using KubeAudit.Core.Stores;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Sends audit events to a central store: Elasticsearch, OpenSearch or ClickHouse.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "KubeAuditEvent", DefaultParameterSetName = InputSet, SupportsShouldProcess = true)]
[OutputType(typeof(SendSummary))]
public sealed class SendKubeAuditEventCommand : LogFileCommand
{
    private const string InputSet = "InputObject";

    private readonly Stopwatch _progressClock = Stopwatch.StartNew();
    private StoreConnection? _connection;
    private string? _checkpoint;
    private IAuditStoreWriter? _writer;
    private AuditEventSender? _sender;
    private bool _failed;
    private bool _whatIf;
    private long _seen;

    #region Parameters

    /// <summary>Events to send, from Get-KubeAuditEvent or any command that gives them.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputSet, ValueFromPipeline = true)]
    public AuditEvent[] InputObject { get; set; } = [];

    /// <summary>The store's address, e.g. http://clickhouse:8123 or https://es:9200.</summary>
    [Parameter(Mandatory = true)]
    public Uri Uri { get; set; } = null!;

    /// <summary>Which store answers at -Uri.</summary>
    [Parameter(Mandatory = true)]
    public AuditStoreEngine Engine { get; set; }

    /// <summary>The index or data stream (Elasticsearch, OpenSearch), or [database.]table (ClickHouse; -Table).</summary>
    [Parameter(Mandatory = true)]
    [Alias("Table")]
    [ValidateNotNullOrEmpty]
    public string Index { get; set; } = string.Empty;

    /// <summary>User name and password for basic authentication.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>An Elasticsearch/OpenSearch API key (the encoded id:key).</summary>
    [Parameter]
    public SecureString? ApiKey { get; set; }

    /// <summary>A CA certificate (PEM or DER) that signs the store's certificate, trusted besides the system's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    /// <summary>Accept any server certificate (test set-ups only).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Events per request (default: 100000 for ClickHouse, which wants large inserts; 5000 for Elasticsearch and OpenSearch).</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int BatchSize { get; set; }

    /// <summary>Times a failed batch is sent again, with a doubling wait from 0.5 s, before the command gives up (default 5).</summary>
    [Parameter]
    [ValidateRange(0, 20)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>With -Follow: the file that keeps the position after the last acknowledged batch; a restart resumes after it.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateNotNullOrEmpty]
    public string? CheckpointPath { get; set; }

    /// <summary>Keep sending as the API server appends, across rotation, until Ctrl+C.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Alias("Wait")]
    public SwitchParameter Follow { get; set; }

    /// <summary>ClickHouse: create the database and table first, if missing.</summary>
    [Parameter]
    public SwitchParameter CreateTable { get; set; }

    /// <summary>Elasticsearch/OpenSearch: create the index template with the mappings first, if missing.</summary>
    [Parameter]
    public SwitchParameter CreateIndexTemplate { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        Validate();
        _checkpoint = CheckpointPath is null ? null : PathResolver.ResolveFileSystemOrStop(this, CheckpointPath);
        _connection = StoreParameters.Connection(this, Uri, Engine, Index, Credential, ApiKey, CertificatePath, SkipCertificateCheck);
        var where = $"{Engine} {Uri} {Index}";
        _whatIf = !ShouldProcess(where, "Send audit events");
        if (_whatIf)
        {
            return;
        }

        _writer = StoreParameters.Open(this, _connection, StoreFactory.OpenWriter);
        if ((CreateTable || CreateIndexTemplate) && ShouldProcess(where, CreateTable ? "Create the table" : "Create the index template"))
        {
            try
            {
                _writer.CreateSchemaAsync(StopToken).GetAwaiter().GetResult();
            }
            catch (StoreException ex)
            {
                ThrowTerminatingError(Errors.StoreFailed(ex, _connection));
            }
        }

        _sender = new AuditEventSender(_writer, new SendOptions
        {
            BatchSize = BatchSize > 0 ? BatchSize : Engine == AuditStoreEngine.ClickHouse ? 100_000 : 5000,
            MaxAttempts = MaxRetries + 1,
            CheckpointPath = _checkpoint,
        }, Engine.ToString(), Index);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // -WhatIf said what would be sent; reading (above all following) would only wait.
        if (_failed || _whatIf)
        {
            return;
        }

        if (ParameterSetName == InputSet)
        {
            foreach (var e in InputObject)
            {
                Take(e, null);
            }

            return;
        }

        if (Follow)
        {
            var files = ResolveLogFiles(follow: true);
            if (files.Count > 0)
            {
                FollowFile(files[^1]);
            }
        }
        else
        {
            ReadLogs(e => Take(e, null));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_sender is null)
        {
            return;
        }

        if (!_failed)
        {
            Flush();
        }

        WriteProgress(new ProgressRecord(ProgressId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        WriteObject(_sender.Summary);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writer?.Dispose();
        }

        base.Dispose(disposing);
    }

    #endregion

    private const int ProgressId = 0x5E4D;

    private string Activity => $"Sending audit events to {Engine} {Index}";

    private void Validate()
    {
        if (CheckpointPath is not null && !Follow)
        {
            ThrowTerminatingError(Errors.CheckpointNeedsFollow(CheckpointPath));
        }

        if (CreateTable && Engine != AuditStoreEngine.ClickHouse)
        {
            ThrowTerminatingError(Errors.SchemaSwitchMismatch(Engine));
        }

        if (CreateIndexTemplate && Engine == AuditStoreEngine.ClickHouse)
        {
            ThrowTerminatingError(Errors.SchemaSwitchMismatch(Engine));
        }
    }

    private void FollowFile(string active)
    {
        FollowPosition? resume = null;
        if (_sender is not null && _checkpoint is { } checkpoint)
        {
            try
            {
                resume = SendCheckpoint.Load(checkpoint);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.InvalidCheckpoint(checkpoint, ex));
            }

            if (resume is not null && !string.Equals(resume.Path, active, StringComparison.Ordinal))
            {
                ThrowTerminatingError(Errors.CheckpointForOtherLog(checkpoint, resume.Path, active));
            }

            WriteVerbose(resume is null ? $"No checkpoint yet at {checkpoint}: sending {active} from its start." : $"Resuming {active} after byte {resume.Offset} (line {resume.Line}).");
        }

        // Caught up: send the partial batch now rather than when it fills.
        var follower = new AuditLogFollower(new AuditLogFollowerOptions { Idle = () => { if (!_failed && _sender is { Pending: > 0 }) { Flush(); } } });
        try
        {
            foreach (var (record, position) in follower.FollowWithPositions(active, -1, resume, StopToken))
            {
                if (record.Event is { } e)
                {
                    Take(e, position);
                }
                else if (record.Error is { } problem)
                {
                    RecordWriter.WriteProblem(this, problem);
                }

                if (_failed)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (IsStopped)
        {
            // Ctrl+C: what the store acknowledged is in the checkpoint; the partial batch is sent again on restart.
        }
    }

    private void Take(AuditEvent e, FollowPosition? position)
    {
        _seen++;
        if (_whatIf || _failed)
        {
            return;
        }

        try
        {
            WriteRefused(_sender!.Add(e, position, StopToken));
        }
        catch (StoreException ex)
        {
            Fail(ex);
        }

        if (_progressClock.ElapsedMilliseconds > 500)
        {
            _progressClock.Restart();
            var s = _sender!.Summary;
            WriteProgress(new ProgressRecord(ProgressId, Activity, $"{s.Sent} sent, {s.Retried} retried, {s.Failed} failed ({_seen} read)"));
        }
    }

    private void Flush()
    {
        try
        {
            WriteRefused(_sender!.Flush(StopToken));
        }
        catch (StoreException ex)
        {
            Fail(ex);
        }
        catch (OperationCanceledException) when (IsStopped)
        {
            // Ctrl+C during the last request: not acknowledged, not counted.
        }
    }

    // The store failed a batch for good: say so, stop reading, and report only what it acknowledged.
    private void Fail(StoreException ex)
    {
        _failed = true;
        WriteError(Errors.StoreFailed(ex, _connection!));
        CancelReading();
    }

    private void WriteRefused(IReadOnlyList<StoreItemError> refused)
    {
        foreach (var item in refused)
        {
            WriteError(Errors.EventRefused(item));
        }
    }
}
