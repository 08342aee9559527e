using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace KubeAudit.Core.Webhook;

/// <summary>
/// The HTTP(S) listener behind Receive-KubeAuditEvent, kept this small so the server underneath
/// (Kestrel 2.3 from NuGet today) can be swapped for a newer ASP.NET Core without touching the rest.
/// </summary>
public interface IWebhookServer : IDisposable
{
    /// <summary>The address actually bound (the port is filled in when 0 was asked for).</summary>
    IPEndPoint EndPoint { get; }

    /// <summary>Stops accepting, waits up to <paramref name="grace"/> for requests in flight, and frees the port.</summary>
    void Stop(TimeSpan grace);
}

/// <summary>One POST as the server saw it; the handler answers it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Peer">The client's address and port, as text.</param>
/// <param name="ContentType">The Content-Type header, or null.</param>
/// <param name="ContentLength">The Content-Length header, or null when chunked.</param>
/// <param name="Authorization">The Authorization header, or null.</param>
/// <param name="ClientCertificate">The certificate the client presented in the TLS handshake, or null.</param>
/// <param name="Body">The request body.</param>
public sealed record WebhookRequest(
    string Method,
    string Peer,
    string? ContentType,
    long? ContentLength,
    string? Authorization,
    X509Certificate2? ClientCertificate,
    Stream Body);

/// <summary>The answer to a <see cref="WebhookRequest"/>.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Text">A one-line reason in the body (text/plain).</param>
public readonly record struct WebhookResponse(int StatusCode, string Text);

/// <summary>Answers requests; called on the server's threads, concurrently.</summary>
public interface IWebhookHandler
{
    /// <summary>Answers one request.</summary>
    Task<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellation);
}
