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
}
