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
public sealed class EnableKubeApiServerAuditCommand : PSCmdlet, IDisposable
{
    private string _policyText = string.Empty;
    private string _policySource = string.Empty;
    private byte[]? _policyBytes;
    private string? _hostRoot;
    private string _backupRoot = string.Empty;
    private string _podLogs = "/var/log/pods";
    private string? _kubeadmConfig;
    private readonly CancellationTokenSource _stop = new();

    #region Parameters

    /// <summary>The kube-apiserver static Pod manifest; kubeadm's location by default.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string ManifestPath { get; set; } = ManifestInput.DefaultManifestPath;

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

    /// <summary>The folder under which the manifest backup is made; kubeadm's /etc/kubernetes/tmp by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>The folder that stands for the node's root for host paths (policy destination, log folder); for tests and offline disks.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HostRoot { get; set; }

    /// <summary>Overwrite differing audit settings, a log-file mount, and a different policy at the destination.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Output the manifest's audit configuration afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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

    /// <summary>A kubeadm configuration file (ClusterConfiguration v1beta3 or v1beta4) to keep in step with the manifest, so that kubeadm upgrade keeps auditing on.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeadmConfigPath { get; set; }

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

        if (HostRoot is { } root)
        {
            _hostRoot = PathResolver.ResolveFileSystemOrStop(this, root);
        }

        _podLogs = PathResolver.ResolveFileSystemOrStop(this, PodLogPath);
        if (KubeadmConfigPath is { } kubeadm)
        {
            _kubeadmConfig = PathResolver.ResolveFileSystemOrStop(this, kubeadm);
        }
        _backupRoot = BackupPath is { } backup ? PathResolver.ResolveFileSystemOrStop(this, backup) : HostPaths.OnDisk(_hostRoot, ManifestInput.DefaultBackupPath);

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
    protected override void ProcessRecord()
    {
        var manifest = ManifestInput.ResolveManifest(this, ManifestPath, out var error);
        if (manifest is null)
        {
            ThrowTerminatingError(error!);
        }

        var path = manifest!;
        var change = AuditChange.Enable(new AuditEnableRequest
        {
            ManifestPath = path,
            Options = new AuditEnableOptions
            {
                PolicyPath = PolicyContainerPath(path),
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
            HostRoot = _hostRoot,
            BackupRoot = _backupRoot,
            KubeadmConfigPath = _kubeadmConfig,
        });
        if (change.Refusal is { } refusal)
        {
            ThrowTerminatingError(Errors.AuditChangeRefused(refusal, path, "enable"));
        }

        if (change.NothingToDo)
        {
            WriteVerbose(change.NothingToDoMessage);
            Output(path);
            return;
        }

        var description = change.Describe();
        if (!ShouldProcess(description, $"Enable audit logging in {path}? The kubelet restarts kube-apiserver when the manifest changes.{Environment.NewLine}{description}", "Enable kube-apiserver auditing"))
        {
            return;
        }

        var applied = change.Apply();
        this.WriteNotes(applied.Notes);
        if (applied.Failure is { } failure)
        {
            ThrowTerminatingError(Errors.AuditChangeRefused(failure, path, "enable"));
        }

        if (HealthUri is { } health && applied.ManifestBackup is not null)
        {
            WaitHealthy(health, applied);
        }

        Output(path);
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

    private void Output(string path)
    {
        if (PassThru)
        {
            WriteObject(ApiServerManifestReader.Read(path, _hostRoot));
        }
    }

    // With -HostRoot the destination is a path on the node, as the API server sees it; without it, a path here.
    private string PolicyContainerPath(string manifest)
    {
        if (_hostRoot is null)
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
