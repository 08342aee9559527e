using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
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
        if (connection.SkipCertificateCheck)
        {
#pragma warning disable CA5359 // -SkipCertificateCheck: the user asked for no validation.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (connection.CertificatePath is { } caPath)
        {
            var ca = LoadCertificate(caPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(ca, certificate, errors);
        }

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

    private static X509Certificate2 LoadCertificate(string path)
    {
        var text = File.ReadAllText(path);
        return text.Contains("-----BEGIN", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : new X509Certificate2(File.ReadAllBytes(path));
    }

    // The system's trust first; failing that, a chain ending at the private CA (name mismatches still fail).
    private static bool TrustedBy(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(presented);
        return chain.Build(leaf);
    }
}
