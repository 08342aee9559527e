namespace KubeAudit.Core.Compliance;

/// <summary>
/// Evaluates every compliance check on a node's manifest, policy and logs. Never throws for bad
/// input: a missing or unreadable file becomes the evidence of the checks it affects.
/// </summary>
public static class ComplianceEvaluator
{
    /// <summary>Every check, in suite order.</summary>
    public static IReadOnlyList<ComplianceCheck> Evaluate(ComplianceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!BenchmarkCatalog.IsKnown(options.Benchmark))
        {
            throw new ArgumentException($"Unknown benchmark '{options.Benchmark}'; known: {string.Join(", ", BenchmarkCatalog.Benchmarks)}.", nameof(options));
        }

        var context = ComplianceContext.Load(options);
        return
        [
            .. LogFlagChecks.Evaluate(context),
            PolicyFileCheck.Evaluate(context),
            .. PolicyContentChecks.Evaluate(context),
            .. LogFileChecks.Evaluate(context),
        ];
    }
}
