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
    }
}
