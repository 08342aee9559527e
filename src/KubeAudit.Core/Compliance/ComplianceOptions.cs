namespace KubeAudit.Core.Compliance;

/// <summary>What to check and how strictly.</summary>
public sealed class ComplianceOptions
{
    /// <summary>Stops the policy check the policy checks start with (Ctrl+C in the commands): OperationCanceledException.</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>The kube-apiserver static Pod manifest.</summary>
    public string ManifestPath { get; init; } = "/etc/kubernetes/manifests/kube-apiserver.yaml";

    /// <summary>
    /// The policy file to judge on this machine; null means the file the manifest names, through the
    /// hostPath volume that serves it (the path in the manifest is a path on the node).
    /// </summary>
    public string? PolicyPath { get; init; }

    /// <summary>The audit log folder or active log file on this machine; null means the manifest's, through its mount.</summary>
    public string? LogPath { get; init; }

    /// <summary>The benchmark whose IDs the checks carry.</summary>
    public string Benchmark { get; init; } = BenchmarkCatalog.Default;

    /// <summary>The CIS minimum for <c>--audit-log-maxage</c>, in days.</summary>
    public int MinimumMaxAge { get; init; } = 30;

    /// <summary>The CIS minimum for <c>--audit-log-maxbackup</c>.</summary>
    public int MinimumMaxBackup { get; init; } = 10;

    /// <summary>The CIS minimum for <c>--audit-log-maxsize</c>, in MB.</summary>
    public int MinimumMaxSize { get; init; } = 100;

    /// <summary>
    /// The documented exception: logs are rotated by something else (logrotate, a shipper), so the
    /// API server's own retention flags are deliberately 0 or unset and are not judged.
    /// </summary>
    public bool ExternalRotation { get; init; }

    /// <summary>How long ago the log may last have been written for "written recently" to pass.</summary>
    public TimeSpan MaximumLogIdle { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The time "recently" is measured from; null is now (tests fix it).</summary>
    public DateTimeOffset? Now { get; init; }
}
