namespace KubeAudit;

/// <summary>
/// The central stores Send-KubeAuditEvent and Get-KubeAuditEvent -Uri speak to (the -Engine values). It mirrors the
/// engine's own enum in KubeAudit.Core, which users never load: parameters must use types of the default load context.
/// </summary>
public enum AuditStoreEngine
{
    /// <summary>Elasticsearch (_bulk, search_after with a point in time).</summary>
    Elasticsearch = 0,

    /// <summary>OpenSearch (the Elasticsearch APIs it kept).</summary>
    OpenSearch = 1,

    /// <summary>ClickHouse over its HTTP interface (RowBinary inserts, TabSeparated queries).</summary>
    ClickHouse = 2,
}
