namespace KubeAudit.Core.Compliance;

/// <summary>
/// Evaluates every compliance check on a node's manifest, policy and logs. Never throws for a bad
/// file: a missing or unreadable one becomes the evidence of the checks it affects (an unknown benchmark
/// name is the caller's mistake: ArgumentException).
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
