namespace KubeAudit.Core.Stores;

/// <summary>The central stores KubeAudit sends events to and queries.</summary>
public enum StoreEngine
{
    /// <summary>Elasticsearch (_bulk, search_after with a point in time).</summary>
    Elasticsearch,

    /// <summary>OpenSearch (the Elasticsearch APIs it kept).</summary>
    OpenSearch,

    /// <summary>ClickHouse over its HTTP interface (RowBinary inserts, TabSeparated queries).</summary>
    ClickHouse,
}
