using KubeAudit.Core.Stores.ClickHouse;

namespace KubeAudit.Core.Stores;

/// <summary>Opens the engine a connection names, as a writer or a reader.</summary>
public static class StoreFactory
{
    /// <summary>A writer for <paramref name="connection"/>'s engine.</summary>
    public static IAuditStoreWriter OpenWriter(StoreConnection connection) => connection.Engine switch
    {
        StoreEngine.ClickHouse => new ClickHouseStore(connection),
        _ => throw NotHere(connection.Engine),
    };

    /// <summary>A reader for <paramref name="connection"/>'s engine.</summary>
    public static IAuditStoreReader OpenReader(StoreConnection connection) => connection.Engine switch
    {
        StoreEngine.ClickHouse => new ClickHouseStore(connection),
        _ => throw NotHere(connection.Engine),
    };

    // The Elasticsearch/OpenSearch engine (ElasticsearchStore) is built on its own branch and wired here when merged.
    private static NotSupportedException NotHere(StoreEngine engine) =>
        new($"The {engine} engine is not part of this build of KubeAudit; ClickHouse is.");
}
