namespace KubeAudit;

/// <summary>
/// The audit configuration of a kube-apiserver static Pod manifest: the <c>--audit-*</c> flags,
/// the hostPath volumes and mounts that serve their paths, and the problems found.
/// </summary>
public sealed class ApiServerAuditConfig
{
    /// <summary>The manifest file, or null when read from text.</summary>
    public string? ManifestPath { get; internal set; }

    /// <summary>The API-server container's name.</summary>
    public string? ContainerName { get; internal set; }

    /// <summary>Where the container keeps its flags: <c>command</c> or <c>args</c>.</summary>
    public string? FlagLocation { get; internal set; }

    /// <summary>Every <c>--audit-*</c> flag present, in file order (duplicates included).</summary>
    public IReadOnlyList<ApiServerFlag> Flags { get; internal set; } = [];

    /// <summary><c>--audit-policy-file</c>; null when absent. The last occurrence wins, as in kube-apiserver.</summary>
    public string? PolicyFile { get; internal set; }

    /// <summary><c>--audit-log-path</c>; <c>-</c> means stdout.</summary>
    public string? LogPath { get; internal set; }

    /// <summary><c>--audit-log-maxage</c> as written.</summary>
    public string? LogMaxAge { get; internal set; }

    /// <summary><c>--audit-log-maxbackup</c> as written.</summary>
    public string? LogMaxBackup { get; internal set; }

    /// <summary><c>--audit-log-maxsize</c> as written.</summary>
    public string? LogMaxSize { get; internal set; }

    /// <summary><c>--audit-log-format</c> as written.</summary>
    public string? LogFormat { get; internal set; }

    /// <summary><c>--audit-log-compress</c> as written.</summary>
    public string? LogCompress { get; internal set; }

    /// <summary><c>--audit-log-mode</c> as written.</summary>
    public string? LogMode { get; internal set; }

    /// <summary><c>--audit-log-version</c> as written.</summary>
    public string? LogVersion { get; internal set; }

    /// <summary><c>--audit-webhook-config-file</c>.</summary>
    public string? WebhookConfigFile { get; internal set; }

    /// <summary><c>--audit-webhook-mode</c> as written.</summary>
    public string? WebhookMode { get; internal set; }

    /// <summary><c>--audit-webhook-batch-buffer-size</c> as written.</summary>
    public string? WebhookBatchBufferSize { get; internal set; }

    /// <summary><c>--audit-webhook-batch-max-size</c> as written.</summary>
    public string? WebhookBatchMaxSize { get; internal set; }

    /// <summary><c>--audit-webhook-batch-max-wait</c> as written.</summary>
    public string? WebhookBatchMaxWait { get; internal set; }

    /// <summary><c>--audit-webhook-batch-throttle-enable</c> as written.</summary>
    public string? WebhookBatchThrottleEnable { get; internal set; }

    /// <summary><c>--audit-webhook-batch-throttle-qps</c> as written.</summary>
    public string? WebhookBatchThrottleQps { get; internal set; }

    /// <summary><c>--audit-webhook-batch-throttle-burst</c> as written.</summary>
    public string? WebhookBatchThrottleBurst { get; internal set; }

    /// <summary><c>--audit-webhook-initial-backoff</c> as written.</summary>
    public string? WebhookInitialBackoff { get; internal set; }

    /// <summary>True when a policy file is set and events go to a log or a webhook.</summary>
    public bool IsEnabled => !string.IsNullOrEmpty(PolicyFile) && (!string.IsNullOrEmpty(LogPath) || !string.IsNullOrEmpty(WebhookConfigFile));

    /// <summary>The Pod's hostPath volumes.</summary>
    public IReadOnlyList<ManifestVolume> Volumes { get; internal set; } = [];

    /// <summary>The API-server container's volume mounts.</summary>
    public IReadOnlyList<ManifestVolumeMount> Mounts { get; internal set; } = [];

    /// <summary>For each path-valued audit flag, the mount that serves it (if any).</summary>
    public IReadOnlyList<AuditPathMount> PathMounts { get; internal set; } = [];

    /// <summary>What is wrong, errors first.</summary>
    public IReadOnlyList<ManifestProblem> Problems { get; internal set; } = [];

    /// <summary>True when no problem is an error.</summary>
    public bool IsValid => !Problems.Any(p => p.Severity == "Error");

    /// <inheritdoc />
    public override string ToString() =>
        $"{ManifestPath ?? "manifest"}: audit {(IsEnabled ? "enabled" : "not enabled")}, {Problems.Count} problem(s)";
}
