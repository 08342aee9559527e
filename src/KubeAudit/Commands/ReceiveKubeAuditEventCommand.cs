using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using KubeAudit.Commands.Completion;
using KubeAudit.Core.Webhook;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Receives audit events that kube-apiserver's webhook backend POSTs, and writes them to the pipeline.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "KubeAuditEvent", DefaultParameterSetName = HttpsSet)]
[OutputType(typeof(AuditEvent))]
public sealed class ReceiveKubeAuditEventCommand : PSCmdlet, IDisposable, IEventFilterParameters
{
    private const string HttpsSet = "Https";
    private const string InsecureSet = "Insecure";

    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _serverLog = new();
    private WebhookQueue? _queue;
    private long _written;

    #region Parameters

    /// <summary>The TCP port to listen on (0 picks a free one; see -Verbose).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>The address to listen on; 127.0.0.1 unless given (0.0.0.0 or :: for every interface).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The server certificate: PEM (with -KeyPath) or PKCS#12 (.pfx, with -CertificatePassword if it has one).</summary>
    [Parameter(Mandatory = true, ParameterSetName = HttpsSet)]
    [ValidateNotNullOrEmpty]
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>The PEM private key of -CertificatePath.</summary>
    [Parameter(ParameterSetName = HttpsSet)]
    [ValidateNotNullOrEmpty]
    public string? KeyPath { get; set; }

    /// <summary>The password of a PFX -CertificatePath.</summary>
    [Parameter(ParameterSetName = HttpsSet)]
    public SecureString? CertificatePassword { get; set; }

    /// <summary>PEM CA certificates a client certificate must chain to (the API server's client-certificate issuer).</summary>
    [Parameter(ParameterSetName = HttpsSet)]
    [ValidateNotNullOrEmpty]
    public string? ClientCaPath { get; set; }

    /// <summary>The bearer token clients must send (the token in the API server's webhook kubeconfig).</summary>
    [Parameter]
    public SecureString? BearerToken { get; set; }

    /// <summary>Accept POSTs with no credentials.</summary>
    [Parameter]
    public SwitchParameter AllowAnonymous { get; set; }

    /// <summary>Listen on plain HTTP (no TLS); only allowed on a loopback address.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InsecureSet)]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>The largest request body accepted, in bytes; larger ones are answered 413. Default 32 MiB.</summary>
    [Parameter]
    [ValidateRange(1024, int.MaxValue - 1)]
    public long MaxBodySize { get; set; } = 32L * 1024 * 1024;

    /// <summary>How many received events may wait for the pipeline; beyond it POSTs are answered 503 (the API server retries).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>Stop after this long.</summary>
    [Parameter]
    public TimeSpan? Duration { get; set; }

    /// <summary>Stop after writing this many events.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long? Count { get; set; }

    /// <summary>Keep events with these verbs.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(VerbCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Verb { get; set; } = [];

    /// <summary>Keep events by these authenticated users; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] User { get; set; } = [];

    /// <summary>Keep events by users in these groups; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Group { get; set; } = [];

    /// <summary>Keep events on these resources (pods, pods/exec, */status); wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Resource { get; set; } = [];

    /// <summary>Keep events in these namespaces; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Namespace { get; set; } = [];

    /// <summary>Keep events on objects with these names; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Keep events logged at these levels.</summary>
    [Parameter]
    [ValidateSet("Metadata", "Request", "RequestResponse", IgnoreCase = true)]
    public string[] Level { get; set; } = [];

    /// <summary>Keep events of these stages.</summary>
    [Parameter]
    [ValidateSet("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic", IgnoreCase = true)]
    public string[] Stage { get; set; } = [];

    /// <summary>Keep events with these HTTP status codes (-StatusCode is an alias).</summary>
    [Parameter]
    [Alias("StatusCode")]
    [ValidateRange(100, 599)]
    public int[] Code { get; set; } = [];

    /// <summary>Keep events with these audit IDs.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] AuditId { get; set; } = [];

    // A receiver takes events as they happen: no time window (not a parameter).
    DateTime? IEventFilterParameters.Since => null;

    DateTime? IEventFilterParameters.Until => null;

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var address = ParseAddress();
        if (AllowInsecureHttp && !IPAddress.IsLoopback(address))
        {
            ThrowTerminatingError(Errors.InsecureHttpNotLoopback(ListenAddress));
        }

        if (!AllowAnonymous && BearerToken is null && ClientCaPath is null)
        {
            ThrowTerminatingError(Errors.WebhookAuthenticationMissing());
        }

        var authenticator = new WebhookAuthenticator(LoadClientCas(), SecretText.Of(BearerToken), AllowAnonymous);
        _queue = new WebhookQueue(QueueCapacity);
        var receiver = new WebhookReceiver(authenticator, _queue, this.ToFilter(), MaxBodySize);
        KestrelWebhookServer server;
        try
        {
            server = KestrelWebhookServer.Start(
                new WebhookServerOptions
                {
                    EndPoint = new IPEndPoint(address, Port),
                    Certificate = AllowInsecureHttp ? null : LoadCertificate(),
                    RequestClientCertificate = authenticator.WantsClientCertificate,
                    ServerLog = KeepServerLog,
                },
                receiver);
        }
        catch (IOException ex)
        {
            ThrowTerminatingError(Errors.WebhookListenFailed($"{ListenAddress}:{Port}", ex));
            return;
        }

        using (server)
        {
            WriteVerbose($"Listening on {(AllowInsecureHttp ? "http" : "https")}://{server.EndPoint}/");
            try
            {
                Pump(receiver.Statistics);
            }
            finally
            {
                // Refuse new batches first (503 to retry elsewhere or later), then free the port.
                _queue.Close();
                server.Stop(TimeSpan.FromMilliseconds(500));
                if (!_stop.IsCancellationRequested)
                {
                    WriteServerLog();
                }
            }
        }

        Summarize(receiver.Statistics);
    }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        _stop.Cancel();
        if (_queue is { } queue)
        {
            queue.Close();
            if (queue.EventCount > 0)
            {
                // The pipeline is stopping, so this is the one place left to say it.
                try
                {
                    Host.UI.WriteWarningLine($"Receive-KubeAuditEvent stopped with {queue.EventCount} received events in {queue.BatchCount} batches not written (already answered 200).");
                }
                catch (Exception ex) when (ex is PipelineStoppedException or InvalidOperationException or System.Management.Automation.Host.HostException or NotImplementedException)
                {
                    // No host to tell.
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    #endregion

    // Writes queued batches on this (the pipeline) thread until -Count, -Duration or Ctrl+C.
    private void Pump(WebhookStatistics statistics)
    {
        var started = Stopwatch.StartNew();
        var progress = new ProgressRecord(1, "Receiving audit events", "Waiting for the first batch");
        var lastShown = TimeSpan.Zero;
        long lastCount = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var remaining = Duration is { } d ? d - started.Elapsed : TimeSpan.FromMilliseconds(250);
                if (remaining <= TimeSpan.Zero)
                {
                    Drain();
                    return;
                }

                if (_queue!.TryTake(Min(remaining, TimeSpan.FromMilliseconds(250)), _stop.Token, out var batch) && Write(batch!))
                {
                    return;
                }

                WriteServerLog();
                if (started.Elapsed - lastShown >= TimeSpan.FromSeconds(1))
                {
                    var rate = (_written - lastCount) / (started.Elapsed - lastShown).TotalSeconds;
                    lastShown = started.Elapsed;
                    lastCount = _written;
                    progress.StatusDescription =
                        $"{_written} events, {rate:N0}/s; {statistics.AcceptedBatches} batches accepted, {_queue.EventCount} events queued; " +
                        $"refused: {statistics.Unauthorized + statistics.Forbidden} auth, {statistics.BadRequests} bad, {statistics.TooLarge} too large, {statistics.Busy} busy";
                    WriteProgress(progress);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C or Stop-Job.
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            if (!_stop.IsCancellationRequested)
            {
                WriteProgress(progress);
            }
        }
    }

    // Kestrel's own notices (an error it answered itself, a body too slow or cut short) arrive on its threads;
    // they come out as debug records on this one, so -Debug shows why a client got what it got.
    private void KeepServerLog(string text, Exception? exception)
    {
        if (_serverLog.Count < 1000)
        {
            _serverLog.Enqueue(exception is null ? text : $"{text} ({exception.GetType().Name}: {exception.Message})");
        }
    }

    private void WriteServerLog()
    {
        while (_serverLog.TryDequeue(out var line))
        {
            WriteDebug("Kestrel: " + line);
        }
    }

    // Writes one batch; true when -Count is reached.
    private bool Write(WebhookBatch batch)
    {
        foreach (var record in batch.Records)
        {
            RecordWriter.Write(this, record);
            if (record.Event is not null && ++_written >= Count)
            {
                return true;
            }
        }

        return false;
    }

    // At -Duration the queued batches (already answered 200) still come out.
    private void Drain()
    {
        _queue!.Close();
        while (_queue.TryTake(TimeSpan.Zero, CancellationToken.None, out var batch))
        {
            if (Write(batch!))
            {
                return;
            }
        }
    }

    private void Summarize(WebhookStatistics statistics)
    {
        WriteVerbose(
            $"Wrote {_written} events from {statistics.AcceptedBatches} accepted batches; answered {statistics.Unauthorized} x 401, {statistics.Forbidden} x 403, " +
            $"{statistics.BadRequests} x 400/405, {statistics.TooLarge} x 413, {statistics.WrongContentType} x 415, {statistics.Busy} x 503.");
        if (_queue!.EventCount > 0)
        {
            WriteWarning($"{_queue.EventCount} received events in {_queue.BatchCount} batches were not written: -Count was reached after they were answered 200.");
        }
    }

    private IPAddress ParseAddress()
    {
        if (ListenAddress.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        if (!IPAddress.TryParse(ListenAddress, out var address))
        {
            ThrowTerminatingError(Errors.InvalidListenAddress(ListenAddress));
        }

        return address!;
    }

    private X509Certificate2 LoadCertificate()
    {
        var certificate = PathResolver.ResolveFileSystemOrStop(this, CertificatePath);
        var key = KeyPath is null ? null : PathResolver.ResolveFileSystemOrStop(this, KeyPath);
        try
        {
            return key is not null
                ? WebhookCertificates.LoadPem(certificate, key)
                : WebhookCertificates.LoadPfx(certificate, CertificatePassword);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            ThrowTerminatingError(Errors.WebhookCertificateUnreadable(certificate, ex));
            throw;
        }
    }

    private X509Certificate2Collection? LoadClientCas()
    {
        if (ClientCaPath is null)
        {
            return null;
        }

        var path = PathResolver.ResolveFileSystemOrStop(this, ClientCaPath);
        try
        {
            return WebhookCertificates.LoadBundle(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            ThrowTerminatingError(Errors.WebhookCertificateUnreadable(path, ex));
            throw;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
