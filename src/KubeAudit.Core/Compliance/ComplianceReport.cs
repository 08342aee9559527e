namespace KubeAudit.Core.Compliance;

/// <summary>Builds the public result records for the cmdlets, whose assembly cannot set their properties.</summary>
public static class ComplianceReport
{
    /// <summary>A copy of <paramref name="check"/> with the outcome a test run gave it.</summary>
    public static ComplianceCheck WithResult(ComplianceCheck check, string result, string evidence) => new()
    {
        Id = check.Id, Name = check.Name, Title = check.Title, Benchmark = check.Benchmark, Tags = check.Tags, Result = result, Evidence = evidence,
    };

    /// <summary>A check for a test that is not one of KubeAudit's (a user's own test run beside the suite).</summary>
    public static ComplianceCheck ForTest(string id, string title, string benchmark, string result, string evidence, string[] tags) => new()
    {
        Id = id, Name = title, Title = title, Benchmark = benchmark, Tags = tags, Result = result, Evidence = evidence,
    };

    /// <summary>The summary of a run.</summary>
    public static ComplianceResult Summarize(string benchmark, IReadOnlyList<ComplianceCheck> checks, string? manifestPath, string? outputPath, string? pesterVersion, TimeSpan duration)
    {
        var result = ComplianceResult.From(benchmark, checks);
        result.ManifestPath = manifestPath;
        result.OutputPath = outputPath;
        result.PesterVersion = pesterVersion;
        result.Duration = duration;
        return result;
    }
}
