using KubeAudit.Core.Stores;

namespace KubeAudit.Core.Tests.Stores;

public sealed class StoreEngineTests
{
    [Fact]
    public void TheCmdletEnumMirrorsTheEngines_NameForValue()
    {
        Assert.Equal(Enum.GetNames<StoreEngine>(), Enum.GetNames<AuditStoreEngine>());
        foreach (var engine in Enum.GetValues<AuditStoreEngine>())
        {
            Assert.Equal(engine.ToString(), ((StoreEngine)(int)engine).ToString());
        }
    }

    [Fact]
    public void ElasticsearchIsNotInThisBuild_SaidClearly()
    {
        var connection = new StoreConnection { Uri = new Uri("http://localhost:9200"), Engine = StoreEngine.OpenSearch, Target = "audit" };
        var ex = Assert.Throws<NotSupportedException>(() => StoreFactory.OpenWriter(connection));
        Assert.Contains("OpenSearch", ex.Message);
    }
}
