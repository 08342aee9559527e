namespace KubeAudit.LogGenerator;

/// <summary>
/// Writes a deterministic, realistic kube-apiserver audit log (JSON lines, audit.k8s.io/v1)
/// for tests and benchmarks. The same options, including the seed, give byte-identical output.
/// </summary>
public static class AuditLogGenerator
{
    private const int FlushBytes = 1 << 20;

    /// <summary>Writes <see cref="GeneratorOptions.Count"/> events to <paramref name="output"/>; the stream is flushed, not closed.</summary>
    public static void Write(Stream output, GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        if (options.RequestShare < 0 || options.RequestResponseShare < 0 || options.RequestShare + options.RequestResponseShare > 1)
        {
            throw new ArgumentException("RequestShare and RequestResponseShare must be non-negative and sum to at most 1.", nameof(options));
        }

        var rnd = new Random(options.Seed);
        var clock = GoFormat.ToUnixMicros(options.Start);
        var json = new GoJsonWriter();
        var planner = new Planner(rnd, options);
        var events = new EventWriter(json, new Bodies(json, rnd, clock), rnd);
        var request = new Request();
        for (var written = 0; written < options.Count;)
        {
            planner.Plan(request, clock);
            written += events.Write(request, options.Count - written);
            if (json.Length >= FlushBytes)
            {
                json.WriteTo(output);
            }
            // Poisson arrivals: requestReceivedTimestamp never decreases.
            clock += (long)(-Math.Log(1 - rnd.NextDouble()) * options.MeanGapMicros);
        }
        json.WriteTo(output);
        output.Flush();
    }
}
