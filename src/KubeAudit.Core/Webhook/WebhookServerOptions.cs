using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace KubeAudit.Core.Webhook;

/// <summary>Where and how the webhook server listens.</summary>
public sealed class WebhookServerOptions
{
    /// <summary>The address and port to bind.</summary>
    public required IPEndPoint EndPoint { get; init; }

    /// <summary>The server certificate with its private key; null for plain HTTP (loopback only).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Ask clients for a certificate during the TLS handshake (checked later, by the handler).</summary>
    public bool RequestClientCertificate { get; init; }

    /// <summary>
    /// Receives what the server logs about itself (Information and above: its own error answers and why,
    /// slow bodies, bad requests), with the exception if any. Called on the server's threads; null drops it.
    /// </summary>
    public Action<string, Exception?>? ServerLog { get; init; }
}
