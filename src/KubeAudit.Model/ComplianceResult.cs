namespace KubeAudit;

/// <summary>The outcome of a compliance run: the counts and every check that ran.</summary>
public sealed class ComplianceResult
{
    /// <summary>The benchmark whose IDs the checks carry (e.g. <c>CIS-1.12</c>).</summary>
    public string Benchmark { get; internal set; } = string.Empty;

    /// <summary><c>Passed</c> when no check failed, else <c>Failed</c>.</summary>
    public string Result => FailedCount > 0 ? "Failed" : "Passed";

    /// <summary>Checks that passed.</summary>
    public int PassedCount { get; internal set; }

    /// <summary>Checks that failed.</summary>
    public int FailedCount { get; internal set; }

    /// <summary>Checks skipped: not applicable, excepted, or lacking the input they need (the evidence says which).</summary>
    public int SkippedCount { get; internal set; }

    /// <summary>Every check that ran, in suite order. Checks left out by -Tag or -ExcludeCheck are not listed.</summary>
    public IReadOnlyList<ComplianceCheck> Checks { get; internal set; } = [];

    /// <summary>The kube-apiserver manifest read.</summary>
    public string? ManifestPath { get; internal set; }

    /// <summary>The test-result file written (NUnit or JUnit XML), if any.</summary>
    public string? OutputPath { get; internal set; }

    /// <summary>The Pester version that ran the suite.</summary>
    public string? PesterVersion { get; internal set; }

    /// <summary>The run's duration.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Benchmark}: {PassedCount} passed, {FailedCount} failed, {SkippedCount} skipped";

    /// <summary>Builds a result from checks, counting them.</summary>
    internal static ComplianceResult From(string benchmark, IReadOnlyList<ComplianceCheck> checks) => new()
    {
        Benchmark = benchmark,
        Checks = checks,
        PassedCount = checks.Count(c => c.Result == "Passed"),
        FailedCount = checks.Count(c => c.Result == "Failed"),
        SkippedCount = checks.Count(c => c.Result == "Skipped"),
    };
}
