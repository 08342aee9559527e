using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace KubeAudit.Core.Stores;

/// <summary>
/// The HTTP side every store engine shares: the client (TLS trust: system, a private CA, or none; basic authentication)
/// and what a request that got no answer becomes.
/// </summary>
public static class StoreHttp
{
    /// <summary>A client for <paramref name="connection"/>; requests carry basic authentication when a user is given.</summary>
    public static HttpClient CreateClient(StoreConnection connection)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
        };
        StoreTls.Configure(handler, connection);

        var client = new HttpClient(handler, disposeHandler: true) { Timeout = connection.Timeout };
        if (connection.UserName is { } user)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + connection.Password));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        return client;
    }

    /// <summary>
    /// Whether <paramref name="ex"/>, thrown by sending a request or reading its answer, means the store did not answer
    /// (refused, reset, TLS failed, timed out), as opposed to the caller cancelling.
    /// </summary>
    public static bool IsNoAnswer(Exception ex, CancellationToken cancel) =>
        ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancel.IsCancellationRequested);

    /// <summary>The exception for a request that got no answer (see <see cref="IsNoAnswer"/>): always worth retrying.</summary>
    public static StoreException NoAnswer(Uri uri, Exception ex, string? action = null) =>
        new($"The store at {uri} did not answer{(action is null ? string.Empty : " to " + action)}: {ex.Message}"
            + (ex.InnerException is { } inner ? " (" + inner.Message + ")" : string.Empty), null, retryable: true, ex);
}
