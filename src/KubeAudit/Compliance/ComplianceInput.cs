using System.Collections;
using System.Management.Automation;
using KubeAudit.Core.Compliance;

namespace KubeAudit.Commands.Compliance;

/// <summary>Turns the compliance commands' parameters into the engine's options, failing early on what cannot work.</summary>
internal static class ComplianceInput
{
    /// <summary>The keys -Threshold accepts.</summary>
    public static readonly string[] ThresholdKeys = ["MaxAge", "MaxBackup", "MaxSize", "LogIdleMinutes"];

    public static ComplianceOptions Options(
        PSCmdlet cmdlet, string manifestPath, string? policyPath, string? logPath, string benchmark, bool externalRotation, Hashtable? threshold, CancellationToken cancel = default)
    {
        if (!BenchmarkCatalog.IsKnown(benchmark))
        {
            cmdlet.ThrowTerminatingError(Errors.UnknownBenchmark(benchmark));
        }

        var values = Thresholds(cmdlet, threshold);
        var cis = new ComplianceOptions(); // the CIS minimums, kept in one place: the engine's defaults
        return new ComplianceOptions
        {
            // Missing files are not errors here: each check says what it could not read.
            ManifestPath = Resolve(cmdlet, manifestPath)!,
            PolicyPath = Resolve(cmdlet, policyPath),
            LogPath = Resolve(cmdlet, logPath),
            Benchmark = BenchmarkCatalog.Benchmarks.First(b => b.Equals(benchmark, StringComparison.OrdinalIgnoreCase)),
            ExternalRotation = externalRotation,
            MinimumMaxAge = values.GetValueOrDefault("MaxAge", cis.MinimumMaxAge),
            MinimumMaxBackup = values.GetValueOrDefault("MaxBackup", cis.MinimumMaxBackup),
            MinimumMaxSize = values.GetValueOrDefault("MaxSize", cis.MinimumMaxSize),
            MaximumLogIdle = values.TryGetValue("LogIdleMinutes", out var idle) ? TimeSpan.FromMinutes(idle) : cis.MaximumLogIdle,
            Cancel = cancel,
        };
    }

    private static string? Resolve(PSCmdlet cmdlet, string? given)
    {
        if (given is null)
        {
            return null;
        }

        return PathResolver.ResolveFileSystemOrStop(cmdlet, given);
    }

    private static Dictionary<string, int> Thresholds(PSCmdlet cmdlet, Hashtable? threshold)
    {
        var values = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (threshold is null)
        {
            return values;
        }

        foreach (DictionaryEntry entry in threshold)
        {
            var key = ThresholdKeys.FirstOrDefault(k => k.Equals(entry.Key?.ToString(), StringComparison.OrdinalIgnoreCase));
            var number = 0;
            if (key is null || !LanguagePrimitives.TryConvertTo(entry.Value, out number) || number < 0)
            {
                cmdlet.ThrowTerminatingError(Errors.InvalidThreshold(entry, threshold, ThresholdKeys));
            }

            values[key!] = number;
        }

        return values;
    }
}
