using KubeAudit.Core.Stores.ClickHouse;
using KubeAudit.Core.Stores.Elasticsearch;

namespace KubeAudit.Core.Stores;

/// <summary>Opens the engine a connection names, as a writer or a reader.</summary>
public static class StoreFactory
{
    /// <summary>A writer for <paramref name="connection"/>'s engine.</summary>
    public static IAuditStoreWriter OpenWriter(StoreConnection connection) => connection.Engine switch
    {
        StoreEngine.ClickHouse => new ClickHouseStore(connection),
        StoreEngine.Elasticsearch or StoreEngine.OpenSearch => new ElasticsearchStore(connection),
        _ => throw new NotSupportedException($"KubeAudit has no {connection.Engine} engine."),
    };

    /// <summary>A reader for <paramref name="connection"/>'s engine.</summary>
    public static IAuditStoreReader OpenReader(StoreConnection connection) => connection.Engine switch
    {
        StoreEngine.ClickHouse => new ClickHouseStore(connection),
        StoreEngine.Elasticsearch or StoreEngine.OpenSearch => new ElasticsearchStore(connection),
        _ => throw new NotSupportedException($"KubeAudit has no {connection.Engine} engine."),
    };
}
