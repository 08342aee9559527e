namespace KubeAudit;

/// <summary>What Send-KubeAuditEvent did: events the store acknowledged, sent again, and refused, in how many batches.</summary>
public sealed class SendSummary
{
    /// <summary>The store engine (Elasticsearch, OpenSearch, ClickHouse).</summary>
    public string Engine { get; internal set; } = string.Empty;

    /// <summary>The index, data stream or table sent to.</summary>
    public string Target { get; internal set; } = string.Empty;

    /// <summary>Events the store acknowledged (one already stored counts: the store keeps it once).</summary>
    public long Sent { get; internal set; }

    /// <summary>Events sent more than once because a request or an item failed in a way worth retrying.</summary>
    public long Retried { get; internal set; }

    /// <summary>Events not stored: refused by the store, or left unsent when the store stayed unavailable.</summary>
    public long Failed { get; internal set; }

    /// <summary>Batches the store acknowledged.</summary>
    public long Batches { get; internal set; }

    /// <summary>Time from the first event to the end.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Sent per second of <see cref="Elapsed"/>.</summary>
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Sent / Elapsed.TotalSeconds : 0;

    /// <inheritdoc />
    public override string ToString() => $"Sent {Sent}, retried {Retried}, failed {Failed} ({Engine} {Target})";
}
