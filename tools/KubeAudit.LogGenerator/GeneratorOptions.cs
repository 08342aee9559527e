namespace KubeAudit.LogGenerator;

/// <summary>Settings for <see cref="AuditLogGenerator.Write"/>. The defaults resemble a small cluster with a typical policy.</summary>
public sealed class GeneratorOptions
{
    /// <summary>Number of lines (audit events) to write. A request with several stages writes one line per stage.</summary>
    public int Count { get; set; } = 1000;

    /// <summary>Seed for System.Random; the only source of variation between runs.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>requestReceivedTimestamp of the first event.</summary>
    public DateTimeOffset Start { get; set; } = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Share of requests logged at level RequestResponse (request and response bodies).</summary>
    public double RequestResponseShare { get; set; } = 0.15;

    /// <summary>Share of requests logged at level Request (request bodies). The rest are Metadata.</summary>
    public double RequestShare { get; set; } = 0.25;

    /// <summary>Share of requests that also log a RequestReceived stage (policy rules that do not omit it).</summary>
    public double RequestReceivedShare { get; set; } = 0.08;

    /// <summary>Mean time between requests in microseconds (25 ms is about 40 requests a second).</summary>
    public int MeanGapMicros { get; set; } = 25_000;
}
