using System.Net.Http.Headers;
using System.Text;

namespace KubeAudit.Core.Stores;

/// <summary>The HttpClient a store engine talks through: TLS trust (system, a private CA, or none) and basic authentication.</summary>
public static class StoreHttp
{
    /// <summary>A client for <paramref name="connection"/>; requests carry basic authentication when a user is given.</summary>
    public static HttpClient CreateClient(StoreConnection connection)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate,
        };
        StoreTls.Configure(handler, connection);

        var client = new HttpClient(handler, disposeHandler: true) { Timeout = connection.Timeout };
        client.DefaultRequestHeaders.Authorization = BasicAuthorization(connection);
        return client;
    }

    /// <summary>The <c>Basic</c> header of the connection's user and password (UTF-8, as both engines read it); null without a user.</summary>
    public static AuthenticationHeaderValue? BasicAuthorization(StoreConnection connection) =>
        connection.UserName is { } user
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + connection.Password)))
            : null;

    /// <summary>Whether a failed request is worth repeating: no answer at all (refused, reset, timed out).</summary>
    public static StoreException Unreachable(Uri uri, Exception ex) =>
        new($"The store at {uri} did not answer: {ex.Message}", null, retryable: ex is HttpRequestException or TaskCanceledException or IOException, ex);
}
