using System.Collections;

namespace KubeAudit.Commands.Compliance;

/// <summary>What the compliance suite is run with.</summary>
internal sealed class SuiteRun
{
    public required string PesterPath { get; init; }

    public required string[] Files { get; init; }

    /// <summary>The suite files' parameters (ManifestPath, PolicyPath, LogPath, Benchmark, ExternalRotation, Threshold).</summary>
    public required Hashtable Data { get; init; }

    public string[] Tag { get; init; } = [];

    public string[] ExcludeTag { get; init; } = [];

    /// <summary>NUnitXml or JUnitXml; null writes no file.</summary>
    public string? OutputFormat { get; init; }

    public string? OutputPath { get; init; }

    public string Verbosity { get; init; } = "Detailed";
}
