namespace KubeAudit.Core.Manifests;

/// <summary>The kube-apiserver <c>--audit-*</c> flags (spec §5.1) and their value types.</summary>
internal static class AuditFlags
{
    public const string PolicyFile = "audit-policy-file";
    public const string LogPath = "audit-log-path";
    public const string LogMaxAge = "audit-log-maxage";
    public const string LogMaxBackup = "audit-log-maxbackup";
    public const string LogMaxSize = "audit-log-maxsize";
    public const string LogFormat = "audit-log-format";
    public const string LogCompress = "audit-log-compress";
    public const string LogMode = "audit-log-mode";
    public const string LogVersion = "audit-log-version";
    public const string WebhookConfigFile = "audit-webhook-config-file";
    public const string WebhookMode = "audit-webhook-mode";
    public const string WebhookBatchBufferSize = "audit-webhook-batch-buffer-size";
    public const string WebhookBatchMaxSize = "audit-webhook-batch-max-size";
    public const string WebhookBatchMaxWait = "audit-webhook-batch-max-wait";
    public const string WebhookBatchThrottleEnable = "audit-webhook-batch-throttle-enable";
    public const string WebhookBatchThrottleQps = "audit-webhook-batch-throttle-qps";
    public const string WebhookBatchThrottleBurst = "audit-webhook-batch-throttle-burst";
    public const string WebhookInitialBackoff = "audit-webhook-initial-backoff";

    public enum Kind
    {
        String,
        Int,
        Bool,
        Float,
        Duration,
    }

    /// <summary>Every flag kube-apiserver knows, with its type.</summary>
    public static readonly IReadOnlyDictionary<string, Kind> Known = new Dictionary<string, Kind>(StringComparer.Ordinal)
    {
        [PolicyFile] = Kind.String,
        [LogPath] = Kind.String,
        [LogMaxAge] = Kind.Int,
        [LogMaxBackup] = Kind.Int,
        [LogMaxSize] = Kind.Int,
        [LogFormat] = Kind.String,
        [LogVersion] = Kind.String,
        [LogCompress] = Kind.Bool,
        [LogMode] = Kind.String,
        ["audit-log-batch-buffer-size"] = Kind.Int,
        ["audit-log-batch-max-size"] = Kind.Int,
        ["audit-log-batch-max-wait"] = Kind.Duration,
        ["audit-log-batch-throttle-enable"] = Kind.Bool,
        ["audit-log-batch-throttle-qps"] = Kind.Float,
        ["audit-log-batch-throttle-burst"] = Kind.Int,
        ["audit-log-truncate-enabled"] = Kind.Bool,
        ["audit-log-truncate-max-batch-size"] = Kind.Int,
        ["audit-log-truncate-max-event-size"] = Kind.Int,
        [WebhookConfigFile] = Kind.String,
        [WebhookInitialBackoff] = Kind.Duration,
        ["audit-webhook-batch-initial-backoff"] = Kind.Duration,
        ["audit-webhook-version"] = Kind.String,
        [WebhookMode] = Kind.String,
        [WebhookBatchBufferSize] = Kind.Int,
        [WebhookBatchMaxSize] = Kind.Int,
        [WebhookBatchMaxWait] = Kind.Duration,
        [WebhookBatchThrottleEnable] = Kind.Bool,
        [WebhookBatchThrottleQps] = Kind.Float,
        [WebhookBatchThrottleBurst] = Kind.Int,
        ["audit-webhook-truncate-enabled"] = Kind.Bool,
        ["audit-webhook-truncate-max-batch-size"] = Kind.Int,
        ["audit-webhook-truncate-max-event-size"] = Kind.Int,
    };

    /// <summary>The flags Enable sets and Disable removes.</summary>
    public static readonly IReadOnlySet<string> Managed = new HashSet<string>(StringComparer.Ordinal)
    {
        PolicyFile, LogPath, LogMaxAge, LogMaxBackup, LogMaxSize, LogFormat, LogCompress, WebhookConfigFile,
        WebhookMode, WebhookBatchBufferSize, WebhookBatchMaxSize, WebhookBatchMaxWait, WebhookBatchThrottleEnable, WebhookBatchThrottleQps,
        WebhookBatchThrottleBurst, WebhookInitialBackoff,
    };

    /// <summary>Flags whose value is a path inside the container that must be mounted.</summary>
    public static readonly IReadOnlyList<string> PathFlags = [PolicyFile, LogPath, WebhookConfigFile];

    /// <summary>
    /// True when two values of flag <paramref name="name"/> mean the same to kube-apiserver. Durations and floats
    /// compare by value (<c>30s</c> is <c>0.5m</c>); every other flag by its text.
    /// </summary>
    public static bool SameValue(string name, string? a, string? b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        return Known.TryGetValue(name, out var kind) && kind switch
        {
            Kind.Duration => GoDuration.TryParse(a, out var x) && GoDuration.TryParse(b, out var y) && x == y,
            Kind.Float => float.TryParse(a, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p)
                && float.TryParse(b, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q) && p == q,
            _ => false,
        };
    }

    public static bool IsAudit(string name) => name.StartsWith("audit-", StringComparison.Ordinal);

    public static bool TakesValue(string name) => Known.TryGetValue(name, out var kind) && kind != Kind.Bool;
}
