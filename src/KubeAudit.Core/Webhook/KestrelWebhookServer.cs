using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Reflection;
using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Server.Kestrel.Https.Internal;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace KubeAudit.Core.Webhook;

/// <summary>
/// <see cref="IWebhookServer"/> on Kestrel 2.3 (netstandard2.0 from NuGet, so it runs in any PowerShell 7
/// without the ASP.NET Core shared runtime). Used without the hosting layer: the server, its socket
/// transport and an <see cref="IHttpApplication{TContext}"/> over raw features, nothing else.
/// </summary>
public sealed class KestrelWebhookServer : IWebhookServer
{
    private readonly KestrelServer _server;
    private readonly Lifetime _lifetime;
    private readonly ListenOptions _listen;
    private int _stopped;

    private KestrelWebhookServer(KestrelServer server, ListenOptions listen, Lifetime lifetime)
    {
        _server = server;
        _listen = listen;
        _lifetime = lifetime;
    }

    /// <inheritdoc />
    public IPEndPoint EndPoint => _listen.IPEndPoint;

    /// <summary>Binds and starts listening; throws if the address cannot be bound.</summary>
    public static KestrelWebhookServer Start(WebhookServerOptions options, IWebhookHandler handler)
    {
        ILoggerFactory logs = options.ServerLog is { } log ? new WebhookServerLog(log) : NullLoggerFactory.Instance;
        var kestrel = new KestrelServerOptions { AddServerHeader = false };
        kestrel.Limits.MaxRequestBodySize = null; // the handler enforces its own limit and answers 413
        ListenOptions? listen = null;
        kestrel.Listen(options.EndPoint, l =>
        {
            listen = l;
            if (options.Certificate is { } certificate)
            {
                var https = new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateMode = options.RequestClientCertificate ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
                    // Accepted at the handshake and verified per request against -ClientCaPath, so a stranger gets 403, not a reset.
                    ClientCertificateValidation = (_, _, _) => true,
                };
                l.ConnectionAdapters.Add(new HttpsConnectionAdapter(https, logs));
            }
        });

        var lifetime = new Lifetime();
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), lifetime, logs);
        var server = new KestrelServer(Options.Create(kestrel), transport, logs);
        try
        {
            server.StartAsync(new Application(handler, lifetime.ApplicationStopping), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return new KestrelWebhookServer(server, listen!, lifetime);
    }

    /// <inheritdoc />
    public void Stop(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _lifetime.StopApplication();
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            _server.StopAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Requests still running after the grace period were aborted; the listener is closed either way.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(1));
        _server.Dispose();
    }

    private sealed class Application(IWebhookHandler handler, CancellationToken stopping) : IHttpApplication<IFeatureCollection>
    {
        public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

        public void DisposeContext(IFeatureCollection context, Exception exception)
        {
        }

        public async Task ProcessRequestAsync(IFeatureCollection context)
        {
            var request = context.Get<IHttpRequestFeature>();
            var response = context.Get<IHttpResponseFeature>();
            var connection = context.Get<IHttpConnectionFeature>();
            var tls = context.Get<ITlsConnectionFeature>();
            var headers = request.Headers;
            var peer = connection?.RemoteIpAddress is { } ip ? new IPEndPoint(ip, connection.RemotePort).ToString() : "unknown";
            WebhookResponse answer;
            try
            {
                answer = await handler.HandleAsync(
                    new WebhookRequest(
                        request.Method,
                        peer,
                        Header(headers, "Content-Type"),
                        headers.ContentLength,
                        Header(headers, "Authorization"),
                        tls?.ClientCertificate,
                        request.Body),
                    stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping while the body was still arriving: nothing was queued, so the API server may send it again.
                answer = new WebhookResponse(503, "Service unavailable: the receiver is stopping; retry later.");
            }
            catch (BadHttpRequestException ex)
            {
                // Kestrel's own refusal of the body: 408 when it arrived slower than MinRequestBodyDataRate, 400 when it was cut short.
                var status = StatusOf(ex);
                answer = new WebhookResponse(status, $"The request body could not be read ({status}): {ex.Message}");
            }
            catch (Exception ex)
            {
                // The API server retries a 500; the reason helps whoever reads its log.
                answer = new WebhookResponse(500, $"Internal error: {ex.GetType().Name}: {ex.Message}");
            }

            var body = System.Text.Encoding.UTF8.GetBytes(answer.Text + "\n");
            response.StatusCode = answer.StatusCode;
            response.Headers["Content-Type"] = "text/plain; charset=utf-8";
            if (answer.StatusCode != 200)
            {
                // A refusal may answer before reading the body (413 of many MB, 503): closing spares draining it.
                response.Headers["Connection"] = "close";
            }

            response.Headers.ContentLength = body.Length;

            // Not the stopping token: a stop that begins now (the pipeline reached -Count right after this batch was
            // queued) made the write throw before the response started, and Kestrel answered that with a bare 500
            // for a batch already accepted, which the API server would send again. The stop's grace period bounds
            // this write instead.
            await response.Body.WriteAsync(body, CancellationToken.None).ConfigureAwait(false);
        }

        // Kestrel 2.3 keeps the status it would answer internal; 400 if the pinned version ever hides it elsewhere.
        private static int StatusOf(BadHttpRequestException ex) =>
            typeof(BadHttpRequestException).GetProperty("StatusCode", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(ex) is int status
                ? status
                : 400;

        private static string? Header(IDictionary<string, StringValues> headers, string name) =>
            headers.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;
    }

    // What the socket transport asks of a host: a stopping signal.
    [SuppressMessage("Design", "CA1001", Justification = "Token sources without timers or links hold nothing to release; the server owns the lifetime.")]
    private sealed class Lifetime : IApplicationLifetime
    {
        private readonly CancellationTokenSource _started = new();
        private readonly CancellationTokenSource _stopping = new();
        private readonly CancellationTokenSource _stopped = new();

        public CancellationToken ApplicationStarted => _started.Token;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => _stopped.Token;

        public void StopApplication() => _stopping.Cancel();
    }
}
