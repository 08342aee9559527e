using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Text;
using KubeAudit.Commands.Manifests;
using KubeAudit.Core.Manifests;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Turns on audit logging in a kube-apiserver static Pod manifest, safely: policy installed, flags and mounts added, backup kept.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Enable, "KubeApiServerAudit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ApiServerAuditConfig))]
public sealed class EnableKubeApiServerAuditCommand : PSCmdlet
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
            ThrowTerminatingError(ManifestErrors.InvalidArgument($"-HealthUri must be an absolute http or https URI, not '{uri}'.", uri));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            ThrowTerminatingError(ManifestErrors.InvalidArgument($"-Timeout must be positive, not {Timeout}.", Timeout));
        }

        if (HostRoot is { } root)
        {
            _hostRoot = Resolve(root);
        }

        _podLogs = Resolve(PodLogPath);
        if (KubeadmConfigPath is { } kubeadm)
        {
            _kubeadmConfig = Resolve(kubeadm);
        }
        _backupRoot = BackupPath is { } backup ? Resolve(backup) : ManifestInput.OnDisk(_hostRoot, ManifestInput.DefaultBackupPath);

        // The policy is checked before anything else; an invalid one stops the command with nothing written.
        if (PolicyPath is { } given)
        {
            var file = Resolve(given);
            if (!File.Exists(file))
            {
                ThrowTerminatingError(Directory.Exists(file) ? Policy.PolicyErrors.PathIsDirectory(file, "audit-policy.yaml") : Errors.PathNotFound(file));
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
            ThrowTerminatingError(ManifestErrors.InvalidPolicy(check, ManifestPath));
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
        var destination = PolicyContainerPath(path);
        var policyOnDisk = ManifestInput.OnDisk(_hostRoot, destination);
        CheckOutsideManifestsFolder(path, policyOnDisk);
        CheckLogFolder(path);

        var options = new AuditEnableOptions
        {
            PolicyPath = destination,
            LogPath = LogPath,
            MaxAge = MaxAge,
            MaxBackup = MaxBackup,
            MaxSize = MaxSize,
            Compress = MyInvocation.BoundParameters.ContainsKey(nameof(Compress)) ? Compress.IsPresent : null,
            Format = Format,
            WebhookConfigPath = WebhookConfigPath,
            Force = Force,
        };
        var edit = ApiServerManifestEditor.EnableFile(path, options);
        if (!edit.Succeeded)
        {
            ThrowTerminatingError(ManifestErrors.Failed(edit.Diagnostics, path, "enable auditing in"));
        }

        // The kubeadm configuration is checked before anything is written; any error stops the command.
        ManifestEditResult? kubeadm = null;
        if (_kubeadmConfig is { } kubeadmPath)
        {
            kubeadm = KubeadmConfigEditor.EnableFile(kubeadmPath, options);
            if (!kubeadm.Succeeded)
            {
                ThrowTerminatingError(ManifestErrors.Failed(kubeadm.Diagnostics, kubeadmPath, "enable auditing in the kubeadm configuration"));
            }
        }

        var kubeadmChanged = kubeadm?.Changed == true;

        var policy = PolicyState(policyOnDisk);
        if (policy == Existing.Different && !Force)
        {
            ThrowTerminatingError(ManifestErrors.PolicyConflict(policyOnDisk, path));
        }

        var looseMode = policy == Existing.Same ? LooseMode(policyOnDisk) : null;
        var logFolder = MissingLogFolder();
        if (!edit.Changed && policy == Existing.Same && !kubeadmChanged && looseMode is null && logFolder is null)
        {
            WriteVerbose($"{path}: auditing is already configured{(kubeadm is null ? string.Empty : " (also in " + _kubeadmConfig + ")")} and the policy at {policyOnDisk} is current; nothing was written.");
            Output(path);
            return;
        }

        // What the writes below would refuse is refused here, so -WhatIf and the real run stop alike, before either writes.
        if ((edit.Changed || kubeadmChanged || policy == Existing.Different) && WriteChecks.BackupRoot(path, _backupRoot) is { } backupRefused)
        {
            ThrowTerminatingError(ManifestErrors.Failed([backupRefused], path, "enable auditing in"));
        }

        if (policy != Existing.Same && WriteChecks.Creatable(System.IO.Path.GetDirectoryName(policyOnDisk)!, "policy folder", policyOnDisk) is { } policyRefused)
        {
            ThrowTerminatingError(ManifestErrors.Failed([policyRefused], path, $"install the audit policy {policyOnDisk} for"));
        }

        var where = policyOnDisk == destination ? destination : $"{destination} (on disk: {policyOnDisk})";
        var steps = new StringBuilder();
        steps.Append(policy switch
        {
            Existing.Same when looseMode is { } mode => $"Keep the audit policy at {where}, setting its mode from {mode} to 0600",
            Existing.Same => $"Keep the audit policy at {where}",
            Existing.Different => $"Replace the audit policy at {where} with {_policySource} (the old one is backed up under {_backupRoot})",
            _ => $"Write {_policySource} to {where} (mode 0600)",
        });
        steps.Append(edit.Changed ? $"; back up {path} under {_backupRoot} and change it:{Environment.NewLine}{edit.Diff}" : $"; {path} is already configured.");
        if (kubeadm is not null)
        {
            steps.Append(kubeadmChanged
                ? $"{Environment.NewLine}Back up the kubeadm configuration {_kubeadmConfig} under {_backupRoot} and change it:{Environment.NewLine}{kubeadm.Diff}"
                : $"{Environment.NewLine}The kubeadm configuration {_kubeadmConfig} is already configured.");
        }

        var description = steps.ToString();
        if (!ShouldProcess(description, $"Enable audit logging in {path}? The kubelet restarts kube-apiserver when the manifest changes.{Environment.NewLine}{description}", "Enable kube-apiserver auditing"))
        {
            return;
        }

        if (looseMode is { } loose && !OperatingSystem.IsWindows())
        {
            // The same bytes need no write, but a policy others can read fails the CIS file-permission check.
            File.SetUnixFileMode(policyOnDisk, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            WriteWarning($"The audit policy {policyOnDisk} was already in place with mode {loose}; its mode is now 0600, as the CIS benchmark asks.");
        }

        var writeOptions = new ManifestWriteOptions { BackupRoot = _backupRoot };
        string? policyBackup = null;
        var policyWritten = false;
        ManifestWriteResult? policyResult = null;
        if (policy != Existing.Same)
        {
            var written = ManifestWriter.WritePolicy(_policyText, policyOnDisk, writeOptions);
            if (!written.Succeeded)
            {
                ThrowTerminatingError(ManifestErrors.Failed(written.Diagnostics, path, $"install the audit policy {policyOnDisk} for"));
            }

            policyWritten = written.Written;
            policyBackup = written.BackupPath;
            policyResult = written;
            written.Diagnostics.ToList().ForEach(note => WriteVerbose(note.Message));
            WriteVerbose($"Wrote the audit policy to {policyOnDisk}{(policyBackup is null ? string.Empty : "; the previous one is at " + policyBackup)}.");
        }

        string? manifestBackup = null;
        ManifestWriteResult? manifestResult = null;
        if (edit.Changed)
        {
            var result = ManifestWriter.Write(path, edit, writeOptions);
            if (!result.Succeeded)
            {
                TakeBackPolicy(policyOnDisk, policyResult);
                ThrowTerminatingError(ManifestErrors.Failed(result.Diagnostics, path, "enable auditing in"));
            }

            foreach (var change in edit.Changes)
            {
                WriteVerbose(change);
            }

            result.Diagnostics.ToList().ForEach(note => WriteVerbose(note.Message));

            WriteVerbose($"Changed {path}; the original is at {result.BackupPath}.");
            manifestBackup = result.Written ? result.BackupPath : null;
            manifestResult = result;
        }

        string? kubeadmBackup = null;
        if (kubeadmChanged)
        {
            var written = ManifestWriter.WriteKubeadmConfig(_kubeadmConfig!, kubeadm!, writeOptions);
            if (!written.Succeeded)
            {
                // All or nothing: the manifest and the policy go back as they were.
                var note = RestoreManifest(path, manifestBackup);
                if (note.Length == 0 && manifestResult is not null)
                {
                    ManifestWriter.TakeBack(manifestResult);
                }

                TakeBackPolicy(policyOnDisk, policyResult);

                ThrowTerminatingError(ManifestErrors.Failed([.. written.Diagnostics, .. note], _kubeadmConfig!, "enable auditing in the kubeadm configuration"));
            }

            foreach (var change in kubeadm!.Changes)
            {
                WriteVerbose(change);
            }

            kubeadmBackup = written.BackupPath;
            WriteVerbose($"Changed {_kubeadmConfig}; the original is at {kubeadmBackup}. Update the kube-system/kubeadm-config ConfigMap to match before the next kubeadm upgrade.");
        }

        // Made only once every write succeeded: a failed run leaves no folder behind.
        if (logFolder is not null && !OperatingSystem.IsWindows())
        {
            CreateLogFolder(logFolder);
        }

        if (HealthUri is { } health && manifestBackup is { } backup)
        {
            WaitHealthy(health, path, backup, policyWritten ? policyOnDisk : null, policyBackup, kubeadmBackup);
        }

        Output(path);
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    #endregion

    private enum Existing
    {
        Missing,
        Same,
        Different,
    }

    private const string NoAnswer = "no answer yet";

    // Polls the health URI; on timeout puts the manifest (and the policy) back and stops with the API server's errors.
    private void WaitHealthy(Uri uri, string path, string backup, string? policyFile, string? policyBackup, string? kubeadmBackup)
    {
        var written = DateTimeOffset.UtcNow;
        var progress = new ProgressRecord(0x4b41, "Waiting for kube-apiserver", $"GET {uri}") { PercentComplete = 0 };
        var last = NoAnswer;
        var clock = Stopwatch.StartNew();
        using (var handler = new HttpClientHandler())
        {
            if (SkipCertificateCheck && uri.Scheme == Uri.UriSchemeHttps)
            {
                handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
            }

            using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            try
            {
                while (true)
                {
                    var remaining = Timeout - clock.Elapsed;
                    if (remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                    {
                        attempt.CancelAfter(remaining < TimeSpan.FromSeconds(2) ? remaining : TimeSpan.FromSeconds(2));
                        try
                        {
                            using var response = client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, attempt.Token).GetAwaiter().GetResult();
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                progress.RecordType = ProgressRecordType.Completed;
                                WriteProgress(progress);
                                WriteVerbose($"{uri} answered 200 after {clock.Elapsed.TotalSeconds:0.0} s.");
                                return;
                            }

                            last = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                        }
                        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                        {
                            // A try cut short by the overall timeout keeps the answer before it.
                            if (remaining >= TimeSpan.FromSeconds(2) || last == NoAnswer)
                            {
                                last = "no answer within 2 s";
                            }
                        }
                        catch (HttpRequestException ex)
                        {
                            last = ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})" : ex.Message;
                        }
                    }

                    var elapsed = clock.Elapsed;
                    progress.StatusDescription = $"GET {uri}: {last}";
                    progress.PercentComplete = (int)Math.Min(99, 100 * elapsed.TotalMilliseconds / Timeout.TotalMilliseconds);
                    progress.SecondsRemaining = (int)Math.Max(0, (Timeout - elapsed).TotalSeconds);
                    WriteProgress(progress);
                    var pause = Timeout - elapsed;
                    if (pause > TimeSpan.FromSeconds(1))
                    {
                        pause = TimeSpan.FromSeconds(1);
                    }

                    if (pause > TimeSpan.Zero)
                    {
                        Task.Delay(pause, _stop.Token).GetAwaiter().GetResult();
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Ctrl+C: stop waiting; the new manifest stays.
                throw new PipelineStoppedException();
            }
        }

        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);

        var report = new StringBuilder();
        report.Append($"kube-apiserver did not answer 200 at {uri} within {Timeout} after {path} was changed; last: {last}.");
        var restored = ManifestWriter.Restore(path, backup);
        if (restored.Succeeded)
        {
            report.Append($" The original manifest was restored from {backup}.");
            if (policyFile is not null)
            {
                RestorePolicy(policyFile, policyBackup);
            }
        }
        else
        {
            report.Append($" The original manifest could NOT be restored ({string.Join("; ", restored.Diagnostics.Select(d => d.Message))}); copy {backup} over it by hand.");
        }

        // The kubeadm file is restored whatever became of the manifest: each outcome is reported on its own.
        if (kubeadmBackup is not null)
        {
            var kubeadm = ManifestWriter.Restore(_kubeadmConfig!, kubeadmBackup);
            report.Append(kubeadm.Succeeded
                ? $" The kubeadm configuration was restored from {kubeadmBackup}."
                : $" The kubeadm configuration could NOT be restored ({string.Join("; ", kubeadm.Diagnostics.Select(d => d.Message))}); copy {kubeadmBackup} over {_kubeadmConfig} by hand.");
        }

        var log = CriLogReader.FindNewestLog(_podLogs);
        var errors = CriLogReader.ReadErrors(_podLogs, written.AddSeconds(-2));
        var older = false;
        if (errors.Count == 0)
        {
            errors = CriLogReader.ReadErrors(_podLogs, null, 10);
            older = errors.Count > 0;
        }

        if (errors.Count > 0)
        {
            report.Append(Environment.NewLine).Append($"Errors in the kube-apiserver log {log}{(older ? " (from before the change)" : string.Empty)}:");
            foreach (var line in errors)
            {
                report.Append(Environment.NewLine).Append("  ").Append(line);
            }
        }
        else
        {
            report.Append(Environment.NewLine).Append(log is null
                ? $"No kube-apiserver container log was found under {_podLogs}."
                : $"The kube-apiserver log {log} has no error lines.");
        }

        ThrowTerminatingError(ManifestErrors.ApiServerUnhealthy(report.ToString(), path));
    }

    private void Output(string path)
    {
        if (PassThru)
        {
            WriteObject(ApiServerManifestReader.Read(path, _hostRoot));
        }
    }

    private Existing PolicyState(string file)
    {
        if (Directory.Exists(file))
        {
            ThrowTerminatingError(ManifestErrors.WrongHostPath($"The policy destination {file} is a folder; give a file path.", ManifestPath));
        }

        if (!File.Exists(file))
        {
            return Existing.Missing;
        }

        try
        {
            return File.ReadAllBytes(file).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(_policyText)) ? Existing.Same : Existing.Different;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(Errors.ReadFailed(file, ex));
            throw;
        }
    }

    // With -HostRoot the destination is a path on the node, as the API server sees it; without it, a path here.
    private string PolicyContainerPath(string manifest)
    {
        if (_hostRoot is null)
        {
            return Resolve(PolicyDestination);
        }

        if (!PolicyDestination.StartsWith('/'))
        {
            ThrowTerminatingError(ManifestErrors.InvalidArgument(
                $"With -HostRoot, -PolicyDestination is the path the API server sees and must be absolute, not '{PolicyDestination}'.", manifest));
        }

        return PolicyDestination;
    }

    // The kubelet runs every non-dot file in the manifests folder as a Pod: the policy must live elsewhere.
    private void CheckOutsideManifestsFolder(string manifest, string policyFile)
    {
        // Through links: a policy folder that is a link to the manifests folder puts the policy there all the same.
        var folder = System.IO.Path.GetDirectoryName(WriteChecks.RealPath(manifest));
        var policyFolder = System.IO.Path.GetDirectoryName(WriteChecks.RealPath(policyFile));
        if (string.Equals(folder, policyFolder, StringComparison.Ordinal) && !System.IO.Path.GetFileName(policyFile).StartsWith('.'))
        {
            ThrowTerminatingError(ManifestErrors.InvalidArgument(
                $"The policy destination {policyFile} is in the manifests folder {folder}: the kubelet would try to run it as a Pod. Put it elsewhere, e.g. /etc/kubernetes/audit-policy.yaml.",
                manifest));
        }
    }

    // The mode of a policy file group or others can read or write ("0644"), else null.
    private static string? LooseMode(string file)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(file))
        {
            return null;
        }

        var mode = File.GetUnixFileMode(file);
        const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return (mode & Others) == 0 ? null : "0" + Convert.ToString((int)mode & 0x1FF, 8);
    }

    // The audit log folder on this host when it does not exist yet (the kubelet would create it 0755).
    private string? MissingLogFolder()
    {
        if (OperatingSystem.IsWindows() || LogPath == "-" || !LogPath.StartsWith('/'))
        {
            return null;
        }

        var folder = System.IO.Path.GetDirectoryName(ManifestInput.OnDisk(_hostRoot, LogPath));
        return folder is not null && !Directory.Exists(folder) && !File.Exists(folder) ? folder : null;
    }

    // Created 0700 when the root (or -HostRoot) is writable; otherwise the kubelet's DirectoryOrCreate makes it.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void CreateLogFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            WriteVerbose($"Created the audit log folder {folder} with mode 0700.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteVerbose($"Could not create the audit log folder {folder} ({ex.Message}); the kubelet creates it when the Pod starts.");
        }
    }

    // hostPath DirectoryOrCreate fails when the log folder is a file, and the log cannot be a folder.
    private void CheckLogFolder(string manifest)
    {
        if (LogPath == "-" || !LogPath.StartsWith('/'))
        {
            return;
        }

        var log = ManifestInput.OnDisk(_hostRoot, LogPath);
        var folder = System.IO.Path.GetDirectoryName(log);
        if (folder is not null && File.Exists(folder))
        {
            ThrowTerminatingError(ManifestErrors.WrongHostPath($"The audit log folder {folder} is a file; kube-apiserver could not write the log there.", manifest));
        }

        if (Directory.Exists(log))
        {
            ThrowTerminatingError(ManifestErrors.WrongHostPath($"The audit log path {log} is a folder; give the log file's path.", manifest));
        }
    }

    // Puts the manifest back after a later step failed; a note when that fails too.
    private KubeAudit.Core.Diagnostics.Diagnostic[] RestoreManifest(string path, string? backup)
    {
        if (backup is null)
        {
            return [];
        }

        var restored = ManifestWriter.Restore(path, backup);
        return restored.Succeeded
            ? []
            : [new KubeAudit.Core.Diagnostics.Diagnostic(KubeAudit.Core.Diagnostics.DiagnosticCodes.ManifestWriteFailed, KubeAudit.Core.Diagnostics.DiagnosticSeverity.Error,
                $"The manifest {path} could NOT be put back ({string.Join("; ", restored.Diagnostics.Select(d => d.Message))}); copy {backup} over it by hand.", path)];
    }

    // A later step failed: the policy goes back as it was, and its backup and the folders its write made go.
    private void TakeBackPolicy(string file, ManifestWriteResult? written)
    {
        if (written is { Written: true } && RestorePolicy(file, written.BackupPath))
        {
            ManifestWriter.TakeBack(written);
        }
    }

    private bool RestorePolicy(string file, string? backup)
    {
        try
        {
            if (backup is null)
            {
                File.Delete(file);
            }
            else
            {
                File.Copy(backup, file, overwrite: true);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteWarning($"Could not put back the audit policy {file}{(backup is null ? string.Empty : " from " + backup)}: {ex.Message}");
            return false;
        }
    }

    private string Resolve(string given)
    {
        var path = ManifestInput.ResolveFileSystem(this, given, out var error);
        if (path is null)
        {
            ThrowTerminatingError(error!);
        }

        return path!;
    }
}
