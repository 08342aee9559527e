namespace KubeAudit.Core.Manifests;

/// <summary>What Enable should configure. Null optional values leave the flag alone.</summary>
public sealed class AuditEnableOptions
{
    /// <summary>The policy file, as both the host and the container see it.</summary>
    public string PolicyPath { get; init; } = "/etc/kubernetes/audit-policy.yaml";

    /// <summary>The audit log file; its folder is mounted. <c>-</c> (stdout) needs no mount.</summary>
    public string LogPath { get; init; } = "/var/log/kubernetes/audit/audit.log";

    /// <summary><c>--audit-log-maxage</c> in days.</summary>
    public int MaxAge { get; init; } = 30;

    /// <summary><c>--audit-log-maxbackup</c>.</summary>
    public int MaxBackup { get; init; } = 10;

    /// <summary><c>--audit-log-maxsize</c> in MB.</summary>
    public int MaxSize { get; init; } = 100;

    /// <summary><c>--audit-log-compress</c>; null leaves it alone.</summary>
    public bool? Compress { get; init; }

    /// <summary><c>--audit-log-format</c> (<c>json</c> or <c>legacy</c>); null leaves it alone.</summary>
    public string? Format { get; init; }

    /// <summary><c>--audit-webhook-config-file</c>; null leaves it alone.</summary>
    public string? WebhookConfigPath { get; init; }

    /// <summary><c>--audit-webhook-mode</c>: <c>batch</c>, <c>blocking</c> or <c>blocking-strict</c>; null leaves it alone.</summary>
    public string? WebhookMode { get; init; }

    /// <summary><c>--audit-webhook-batch-buffer-size</c>: events buffered before batching; null leaves it alone.</summary>
    public int? WebhookBatchBufferSize { get; init; }

    /// <summary><c>--audit-webhook-batch-max-size</c>: events per POST; null leaves it alone.</summary>
    public int? WebhookBatchMaxSize { get; init; }

    /// <summary><c>--audit-webhook-batch-max-wait</c>: the longest a partial batch waits; null leaves it alone.</summary>
    public TimeSpan? WebhookBatchMaxWait { get; init; }

    /// <summary><c>--audit-webhook-batch-throttle-enable</c>; null leaves it alone.</summary>
    public bool? WebhookBatchThrottleEnable { get; init; }

    /// <summary><c>--audit-webhook-batch-throttle-qps</c>: batches per second (a float32 in kube-apiserver); null leaves it alone.</summary>
    public float? WebhookBatchThrottleQps { get; init; }

    /// <summary><c>--audit-webhook-batch-throttle-burst</c>; null leaves it alone.</summary>
    public int? WebhookBatchThrottleBurst { get; init; }

    /// <summary><c>--audit-webhook-initial-backoff</c>: the first wait before a failed POST is retried; null leaves it alone.</summary>
    public TimeSpan? WebhookInitialBackoff { get; init; }

    /// <summary>True when a webhook setting is given (the configuration file, the mode or a batch value).</summary>
    internal bool SetsWebhook => WebhookConfigPath is not null || WebhookFlags().Any();

    /// <summary>Overwrite existing values that differ (and replace a log-file mount); without it they are errors.</summary>
    public bool Force { get; init; }

    /// <summary>The flags to set, in a stable order.</summary>
    internal IEnumerable<(string Name, string Value)> WantedFlags()
    {
        yield return (AuditFlags.PolicyFile, PolicyPath);
        yield return (AuditFlags.LogPath, LogPath);
        yield return (AuditFlags.LogMaxAge, MaxAge.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return (AuditFlags.LogMaxBackup, MaxBackup.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return (AuditFlags.LogMaxSize, MaxSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Compress is { } compress)
        {
            yield return (AuditFlags.LogCompress, compress ? "true" : "false");
        }

        if (Format is { } format)
        {
            yield return (AuditFlags.LogFormat, format);
        }

        if (WebhookConfigPath is { } webhook)
        {
            yield return (AuditFlags.WebhookConfigFile, webhook);
        }

        foreach (var flag in WebhookFlags())
        {
            yield return flag;
        }
    }

    // The webhook's mode and batch flags that are given, rendered as kube-apiserver reads them.
    private IEnumerable<(string Name, string Value)> WebhookFlags()
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        (string, object?)[] given =
        [
            (AuditFlags.WebhookMode, WebhookMode),
            (AuditFlags.WebhookBatchBufferSize, WebhookBatchBufferSize),
            (AuditFlags.WebhookBatchMaxSize, WebhookBatchMaxSize),
            (AuditFlags.WebhookBatchMaxWait, WebhookBatchMaxWait),
            (AuditFlags.WebhookBatchThrottleEnable, WebhookBatchThrottleEnable),
            (AuditFlags.WebhookBatchThrottleQps, WebhookBatchThrottleQps),
            (AuditFlags.WebhookBatchThrottleBurst, WebhookBatchThrottleBurst),
            (AuditFlags.WebhookInitialBackoff, WebhookInitialBackoff),
        ];
        foreach (var (name, value) in given)
        {
            if (value is not null)
            {
                yield return (name, value switch
                {
                    TimeSpan duration => GoDuration.Format(duration),
                    bool flag => flag ? "true" : "false",
                    float qps => qps.ToString("R", invariant),
                    IFormattable number => number.ToString(null, invariant),
                    _ => (string)value,
                });
            }
        }
    }
}
