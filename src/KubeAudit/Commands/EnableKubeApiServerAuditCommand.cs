using System.Management.Automation;
using KubeAudit.Commands.Manifests;
using KubeAudit.Core.Manifests;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Turns on audit logging in a kube-apiserver static Pod manifest, safely: policy installed, flags and mounts added, backup kept.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Enable, "KubeApiServerAudit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ApiServerAuditConfig))]
public sealed class EnableKubeApiServerAuditCommand : AuditChangeCommand, IDisposable
{
    private string _policyText = string.Empty;
    private string _policySource = string.Empty;
    private byte[]? _policyBytes;
    private string _podLogs = "/var/log/pods";
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Enables auditing.</summary>
    public EnableKubeApiServerAuditCommand()
        : base("Enable")
    {
    }

    #region Parameters

    /// <summary>The audit policy to install; KubeAudit's recommended policy (New-KubeAuditPolicy) by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PolicyPath { get; set; }

    /// <summary>Where the policy is installed, as the API server sees it (--audit-policy-file).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string PolicyDestination { get; set; } = "/etc/kubernetes/audit-policy.yaml";

    /// <summary>The audit log file (--audit-log-path); its folder is mounted read-write. '-' is stdout.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string LogPath { get; set; } = "/var/log/kubernetes/audit/audit.log";

    /// <summary>Days to keep rotated logs (--audit-log-maxage).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaxAge { get; set; } = 30;

    /// <summary>Rotated logs to keep (--audit-log-maxbackup).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaxBackup { get; set; } = 10;

    /// <summary>Megabytes before rotation (--audit-log-maxsize).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaxSize { get; set; } = 100;

    /// <summary>Gzip rotated logs (--audit-log-compress=true); -Compress:$false sets it to false; absent leaves it alone.</summary>
    [Parameter]
    public SwitchParameter Compress { get; set; }

    /// <summary>The log format (--audit-log-format): json or legacy; absent leaves it alone.</summary>
    [Parameter]
    [ValidateSet("json", "legacy")]
    public string? Format { get; set; }

    /// <summary>A webhook backend's kubeconfig (--audit-webhook-config-file), mounted read-only.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WebhookConfigPath { get; set; }

    /// <summary>How the webhook sends events (--audit-webhook-mode): batch (asynchronous, the default), blocking, or blocking-strict.</summary>
    [Parameter]
    [ValidateSet("batch", "blocking", "blocking-strict")]
    public string? WebhookMode { get; set; }

    /// <summary>Events per webhook POST in batch mode (--audit-webhook-batch-max-size; kube-apiserver's default is 400).</summary>
    [Parameter]
    public int? WebhookBatchMaxSize { get; set; }

    /// <summary>The longest a partial batch waits before it is sent (--audit-webhook-batch-max-wait; default 30s): a Go duration such as 5s, or a TimeSpan.</summary>
    [Parameter]
    [GoDuration]
    public TimeSpan? WebhookBatchMaxWait { get; set; }

    /// <summary>Batches per second when throttling (--audit-webhook-batch-throttle-qps; default 10).</summary>
    [Parameter]
    public float? WebhookBatchThrottleQps { get; set; }

    /// <summary>Batches sent at once when throttling (--audit-webhook-batch-throttle-burst; default 15).</summary>
    [Parameter]
    public int? WebhookBatchThrottleBurst { get; set; }

    /// <summary>Throttle the batches (--audit-webhook-batch-throttle-enable=true; the default); -WebhookBatchThrottleEnable:$false turns throttling off.</summary>
    [Parameter]
    public SwitchParameter WebhookBatchThrottleEnable { get; set; }

    /// <summary>Events buffered for the webhook before they are dropped (--audit-webhook-batch-buffer-size; default 10000).</summary>
    [Parameter]
    public int? WebhookBatchBufferSize { get; set; }

    /// <summary>The first wait before a failed POST is retried (--audit-webhook-initial-backoff; default 10s): a Go duration, or a TimeSpan.</summary>
    [Parameter]
    [GoDuration]
    public TimeSpan? WebhookInitialBackoff { get; set; }

    /// <summary>Overwrite differing audit settings, a log-file mount, and a different policy at the destination.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>After the manifest is written, GET this URI (e.g. https://127.0.0.1:6443/livez) until it answers 200; on timeout the manifest is restored.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? HealthUri { get; set; }

    /// <summary>How long to wait for -HealthUri to answer 200.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Accept any TLS certificate from an https -HealthUri.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>The kubelet's pod log folder, read for kube-apiserver errors when -HealthUri does not answer 200 in time.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string PodLogPath { get; set; } = "/var/log/pods";

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (HealthUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https")))
        {
            ThrowTerminatingError(Errors.InvalidArgument($"-HealthUri must be an absolute http or https URI, not '{uri}'.", uri));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            ThrowTerminatingError(Errors.InvalidArgument($"-Timeout must be positive, not {Timeout}.", Timeout));
        }

        base.BeginProcessing();
        _podLogs = PathResolver.ResolveFileSystemOrStop(this, PodLogPath);

        // The policy is checked before anything else; an invalid one stops the command with nothing written.
        if (PolicyPath is { } given)
        {
            var file = PathResolver.ResolveFileSystemOrStop(this, given);
            if (!File.Exists(file))
            {
                ThrowTerminatingError(Directory.Exists(file) ? Errors.PathIsDirectory(file, "audit-policy.yaml") : Errors.PathNotFound(file));
            }

            try
            {
                // Bytes, not text: decoding would turn invalid UTF-8 into U+FFFD and hide what the API server refuses.
                _policyBytes = File.ReadAllBytes(file);
                _policyText = PolicyBytes.Decode(_policyBytes, file, out _);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.ReadFailed(file, ex));
            }

            _policySource = file;
        }
        else
        {
            _policyText = RecommendedPolicy.Build();
            _policySource = "the recommended policy";
        }

        var check = Policy.PolicyInput.Stoppable(() => _policyBytes is { } bytes
            ? PolicyChecker.CheckBytes(bytes, _policySource, null, _stop.Token)
            : PolicyChecker.CheckText(_policyText, null, null, _stop.Token));
        if (!check.IsValid)
        {
            ThrowTerminatingError(Errors.InvalidAuditPolicy(check, ManifestPath));
        }
    }

    /// <inheritdoc />
    protected override AuditChange Plan(string manifest) => AuditChange.Enable(new AuditEnableRequest
    {
        ManifestPath = manifest,
        Options = new AuditEnableOptions
        {
            PolicyPath = PolicyContainerPath(manifest),
            LogPath = LogPath,
            MaxAge = MaxAge,
            MaxBackup = MaxBackup,
            MaxSize = MaxSize,
            Compress = Given(nameof(Compress), Compress),
            Format = Format,
            WebhookConfigPath = WebhookConfigPath,
            WebhookMode = WebhookMode,
            WebhookBatchBufferSize = WebhookBatchBufferSize,
            WebhookBatchMaxSize = WebhookBatchMaxSize,
            WebhookBatchMaxWait = WebhookBatchMaxWait,
            WebhookBatchThrottleEnable = Given(nameof(WebhookBatchThrottleEnable), WebhookBatchThrottleEnable),
            WebhookBatchThrottleQps = WebhookBatchThrottleQps,
            WebhookBatchThrottleBurst = WebhookBatchThrottleBurst,
            WebhookInitialBackoff = WebhookInitialBackoff,
            Force = Force,
        },
        PolicyText = _policyText,
        PolicySource = _policySource,
        HostRoot = HostRootOnDisk,
        BackupRoot = BackupRoot,
        KubeadmConfigPath = KubeadmConfig,
    });

    /// <summary>With -HealthUri, waits for the API server to answer, and restores the backup if it does not.</summary>
    protected override void Applied(AuditChangeResult applied)
    {
        if (HealthUri is { } health && applied.ManifestBackup is not null)
        {
            WaitHealthy(health, applied);
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    #endregion

    // Polls the health URI; on timeout puts the manifest (and the policy) back and stops with the API server's errors.
    private void WaitHealthy(Uri uri, AuditChangeResult applied)
    {
        var progress = new ProgressRecord(0x4b41, "Waiting for kube-apiserver", $"GET {uri}") { PercentComplete = 0 };
        HealthWaitResult waited;
        using (var handler = HealthWaiter.CreateHandler(uri, SkipCertificateCheck))
        {
            try
            {
                waited = new HealthWaiter(handler).Wait(uri, Timeout, (last, elapsed) =>
                {
                    progress.StatusDescription = $"GET {uri}: {last}";
                    progress.PercentComplete = (int)Math.Min(99, 100 * elapsed.TotalMilliseconds / Timeout.TotalMilliseconds);
                    progress.SecondsRemaining = (int)Math.Max(0, (Timeout - elapsed).TotalSeconds);
                    WriteProgress(progress);
                }, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Ctrl+C: stop waiting; the new manifest stays.
                throw new PipelineStoppedException();
            }
        }

        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        if (waited.Healthy)
        {
            WriteVerbose($"{uri} answered 200 after {waited.Elapsed.TotalSeconds:0.0} s.");
            return;
        }

        var notes = applied.Notes.Count;
        var outcome = AuditChange.RestoreAfterUnhealthy(applied, uri, Timeout, waited, _podLogs);
        this.WriteNotes(applied.Notes.Skip(notes));
        ThrowTerminatingError(Errors.ApiServerUnhealthy(outcome.Message, applied.Change.ManifestPath));
    }

    // A switch that sets a flag true or false when given, and leaves it alone when not.
    private bool? Given(string name, SwitchParameter value) => MyInvocation.BoundParameters.ContainsKey(name) ? value.IsPresent : null;

    // With -HostRoot the destination is a path on the node, as the API server sees it; without it, a path here.
    private string PolicyContainerPath(string manifest)
    {
        if (HostRootOnDisk is null)
        {
            return PathResolver.ResolveFileSystemOrStop(this, PolicyDestination);
        }

        if (!PolicyDestination.StartsWith('/'))
        {
            ThrowTerminatingError(Errors.InvalidArgument(
                $"With -HostRoot, -PolicyDestination is the path the API server sees and must be absolute, not '{PolicyDestination}'.", manifest));
        }

        return PolicyDestination;
    }
}
