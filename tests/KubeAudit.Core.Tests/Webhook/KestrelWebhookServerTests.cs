using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using KubeAudit.Core.Webhook;

namespace KubeAudit.Core.Tests.Webhook;

/// <summary>
/// The server's own answers around stopping: a stop that begins while a request is being answered (the pipeline
/// reached -Count just after the batch was queued) must not turn the answer into Kestrel's bare 500.
/// </summary>
public class KestrelWebhookServerTests
{
    private const string OneEvent =
        """{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[{"level":"Metadata","auditID":"a1","stage":"ResponseComplete","requestURI":"/api","verb":"get","user":{"username":"u"}}]}""";

    private readonly ConcurrentQueue<string> _log = new();

    private KestrelWebhookServer Start(IWebhookHandler handler) =>
        KestrelWebhookServer.Start(
            new WebhookServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), ServerLog = (text, ex) => _log.Enqueue(text + " " + ex) },
            handler);

    private string Logged => string.Join("\n", _log);

    [Fact]
    public async Task AnAcceptedBatch_Is200_WhenTheServerStartsStoppingBeforeTheAnswerIsWritten()
    {
        var queue = new WebhookQueue(100);
        var receiver = new WebhookReceiver(new WebhookAuthenticator(null, null, true), queue, null, 1 << 20);
        KestrelWebhookServer? server = null;
        // What the cmdlet does at -Count: the pipeline takes the batch and stops the server while its handler still runs.
        var handler = new StopAfter(receiver, () => Task.Run(() => server!.Stop(TimeSpan.FromSeconds(5))));
        using (server = Start(handler))
        {
            using var client = new HttpClient();
            var response = await client.PostAsync($"http://127.0.0.1:{server.EndPoint.Port}/", Json(OneEvent));

            Assert.True(handler.SawStopping, "the stop must have begun before the answer was written");
            Assert.Equal(1, queue.EventCount);
            Assert.Equal("Accepted 1 events.", (await response.Content.ReadAsStringAsync()).Trim());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("unhandled exception", Logged, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ABodyStillArrivingWhenTheServerStops_Is503WithAReason_NotABare500()
    {
        var queue = new WebhookQueue(100);
        using var server = Start(new WebhookReceiver(new WebhookAuthenticator(null, null, true), queue, null, 1 << 20));
        using var tcp = new TcpClient();
        // The handler is reading this body when the stop begins.
        var stream = await SendUnfinishedBodyAsync(tcp, server);
        await Task.Delay(300);
        var stopping = Task.Run(() => server.Stop(TimeSpan.FromSeconds(5)));

        var answer = await ReadAnswerAsync(stream);
        await stopping;

        Assert.StartsWith("HTTP/1.1 503 ", answer, StringComparison.Ordinal);
        Assert.Contains("stopping", answer, StringComparison.Ordinal);
        Assert.Equal(0, queue.EventCount);
        Assert.DoesNotContain("unhandled exception", Logged, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ABodyArrivingSlowerThanKestrelsMinimumRate_Is408WithAReason_NotABare500()
    {
        var queue = new WebhookQueue(100);
        using var server = Start(new WebhookReceiver(new WebhookAuthenticator(null, null, true), queue, null, 1 << 20));
        using var tcp = new TcpClient();
        // 20 bytes and then nothing: below 240 B/s once Kestrel's 5 s grace period is over.
        var stream = await SendUnfinishedBodyAsync(tcp, server);

        var answer = await ReadAnswerAsync(stream, TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 408 ", answer, StringComparison.Ordinal);
        Assert.Contains("MinRequestBodyDataRate", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", answer, StringComparison.Ordinal);
        Assert.Equal(0, queue.EventCount);
        Assert.Contains("RequestBodyMininumDataRateNotSatisfied", Logged, StringComparison.Ordinal); // Kestrel 2.x spells its event so
        Assert.DoesNotContain("unhandled exception", Logged, StringComparison.OrdinalIgnoreCase);
    }

    private static StringContent Json(string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    // Everything the server sends until it closes the connection (at most 10 s unless told).
    // Headers and the first 20 bytes of a body that never ends.
    private static async Task<NetworkStream> SendUnfinishedBodyAsync(TcpClient tcp, KestrelWebhookServer server)
    {
        await tcp.ConnectAsync(IPAddress.Loopback, server.EndPoint.Port);
        var stream = tcp.GetStream();
        var head = $"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {OneEvent.Length}\r\n\r\n{OneEvent[..20]}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        return stream;
    }

    private static async Task<string> ReadAnswerAsync(NetworkStream stream, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(10));
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // A reset after the answer: what was read is the answer.
        }

        return text.ToString();
    }

    // Answers through the receiver, then begins the stop and waits until the server says it is stopping.
    private sealed class StopAfter(IWebhookHandler inner, Func<Task> stop) : IWebhookHandler
    {
        public bool SawStopping { get; private set; }

        public async Task<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellation)
        {
            var answer = await inner.HandleAsync(request, cancellation);
            _ = stop();
            SawStopping = cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(5));
            return answer;
        }
    }
}
