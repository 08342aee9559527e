namespace KubeAudit.Core.Stores;

/// <summary>Where a store is and how to reach it; the cmdlets fill it from their parameters.</summary>
public sealed class StoreConnection
{
    /// <summary>The store's base address (http or https), e.g. <c>https://es.example:9200</c>.</summary>
    public required Uri Uri { get; init; }

    /// <summary>Which store answers at <see cref="Uri"/>.</summary>
    public required StoreEngine Engine { get; init; }

    /// <summary>Index or data stream (Elasticsearch/OpenSearch), or <c>[database.]table</c> (ClickHouse).</summary>
    public required string Target { get; init; }

    /// <summary>Basic authentication user, when given.</summary>
    public string? UserName { get; init; }

    /// <summary>Basic authentication password, when given. Plain only in memory for the request's lifetime.</summary>
    public string? Password { get; init; }

    /// <summary>Elasticsearch API key (the encoded id:key), when given.</summary>
    public string? ApiKey { get; init; }

    /// <summary>A PEM or DER CA certificate that signs the store's certificate (private CA), trusted besides the system's.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>Accept any server certificate (test set-ups only).</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>How long one request may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);
}
