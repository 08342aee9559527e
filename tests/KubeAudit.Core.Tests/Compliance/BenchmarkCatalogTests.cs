using KubeAudit.Core.Compliance;

namespace KubeAudit.Core.Tests.Compliance;

public sealed class BenchmarkCatalogTests
{
    [Fact]
    public void KnowsTheFourBenchmarks_DefaultTheNewest()
    {
        Assert.Equal(["CIS-1.9", "CIS-1.10", "CIS-1.11", "CIS-1.12"], BenchmarkCatalog.Benchmarks);
        Assert.Equal("CIS-1.12", BenchmarkCatalog.Default);
        Assert.True(BenchmarkCatalog.IsKnown("cis-1.11"));
        Assert.Equal("1.32-1.34", BenchmarkCatalog.KubernetesVersions("CIS-1.12"));
    }

    [Fact]
    public void EveryCheckHasAnIdInEveryBenchmark()
    {
        foreach (var benchmark in BenchmarkCatalog.Benchmarks)
        {
            foreach (var name in CheckNames.All)
            {
                Assert.DoesNotContain(name, BenchmarkCatalog.IdOf(benchmark, name), StringComparison.Ordinal);
            }
        }
    }
}
