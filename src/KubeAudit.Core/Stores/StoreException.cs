namespace KubeAudit.Core.Stores;

/// <summary>A whole request to a store failed; <see cref="Retryable"/> says whether sending it again may succeed.</summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreException(string message, int? statusCode, bool retryable, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Retryable = retryable;
    }

    /// <summary>The HTTP status the store answered, or null when no answer came (refused, timed out, TLS).</summary>
    public int? StatusCode { get; }

    /// <summary>True for 429, 5xx and connection failures; false for authentication, bad requests and the like.</summary>
    public bool Retryable { get; }
}
