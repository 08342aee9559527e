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
        if (connection.UserName is { } user)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + (connection.Password ?? string.Empty)));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        return client;
    }

    /// <summary>Whether a failed request is worth repeating: no answer at all (refused, reset, timed out).</summary>
    public static StoreException Unreachable(Uri uri, Exception ex) =>
        new($"The store at {uri} did not answer: {ex.Message}", null, retryable: ex is HttpRequestException or TaskCanceledException or IOException, ex);
}
