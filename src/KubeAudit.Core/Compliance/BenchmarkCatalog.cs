using System.Text.Json;

namespace KubeAudit.Core.Compliance;

/// <summary>
/// The benchmark ID of each check per benchmark version, read from the embedded Benchmarks.json:
/// CIS renumbers its items between versions (1.2.16 was 1.2.22 in CIS 1.6), so the mapping is data.
/// </summary>
public static class BenchmarkCatalog
{
    private static readonly Lazy<Catalog> s_catalog = new(Load);

    /// <summary>The benchmark used when none is named.</summary>
    public static string Default => s_catalog.Value.Default;

    /// <summary>The benchmark versions known, oldest first.</summary>
    public static IReadOnlyList<string> Benchmarks => s_catalog.Value.Ids.Keys.ToList();

    /// <summary>Whether <paramref name="benchmark"/> is known (case-insensitive).</summary>
    public static bool IsKnown(string benchmark) => s_catalog.Value.Ids.ContainsKey(benchmark);

    /// <summary>The Kubernetes versions a benchmark covers, as kube-bench maps them.</summary>
    public static string KubernetesVersions(string benchmark) => s_catalog.Value.Kubernetes[benchmark];

    /// <summary>The ID of check <paramref name="name"/> in <paramref name="benchmark"/>: the benchmark's number, else KubeAudit's own.</summary>
    public static string IdOf(string benchmark, string name)
    {
        var catalog = s_catalog.Value;
        if (catalog.Ids.TryGetValue(benchmark, out var ids) && ids.TryGetValue(name, out var id))
        {
            return id;
        }

        return catalog.KubeAuditIds.TryGetValue(name, out var own) ? own : "KA-" + name;
    }

    /// <summary>Whether the benchmark itself numbers check <paramref name="name"/> (else the ID is KubeAudit's).</summary>
    public static bool IsBenchmarkItem(string benchmark, string name) =>
        s_catalog.Value.Ids.TryGetValue(benchmark, out var ids) && ids.ContainsKey(name);

    private static Catalog Load()
    {
        using var stream = typeof(BenchmarkCatalog).Assembly.GetManifestResourceStream("KubeAudit.Core.Compliance.Benchmarks.json")
            ?? throw new InvalidOperationException("KubeAudit.Core is missing its embedded Benchmarks.json.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var ids = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        var kubernetes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var benchmark in root.GetProperty("benchmarks").EnumerateObject())
        {
            ids[benchmark.Name] = benchmark.Value.GetProperty("ids").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            kubernetes[benchmark.Name] = benchmark.Value.GetProperty("kubernetes").GetString()!;
        }

        var own = root.GetProperty("kubeAuditIds").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        return new Catalog(root.GetProperty("default").GetString()!, ids, kubernetes, own);
    }

    private sealed record Catalog(
        string Default,
        Dictionary<string, Dictionary<string, string>> Ids,
        Dictionary<string, string> Kubernetes,
        Dictionary<string, string> KubeAuditIds);
}
