using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeAudit.Core.Tests.Stores;

/// <summary>
/// A plain-http server on loopback that answers each request with what the test hands it and keeps every request it got,
/// so the store's requests and its handling of real answers can be checked without a store.
/// </summary>
internal sealed class CannedHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<Request, (int Status, string Body)> _answer;
    private readonly Task _loop;

    public CannedHttpServer(Func<Request, (int Status, string Body)> answer)
    {
        _answer = answer;
        Uri = new Uri($"http://127.0.0.1:{FreePort()}/");
        _listener.Prefixes.Add(Uri.ToString());
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public Uri Uri { get; }

    public List<Request> Requests { get; } = [];

    /// <summary>A loopback port nothing listens on (for "no answer" tests).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener closing ends the loop with an exception; nothing to report.
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new Request(
                context.Request.HttpMethod,
                context.Request.RawUrl ?? string.Empty,
                context.Request.Headers["Authorization"],
                context.Request.ContentType,
                await reader.ReadToEndAsync());
            lock (Requests)
            {
                Requests.Add(request);
            }

            (int Status, string Body) answer;
            try
            {
                answer = _answer(request);
            }
            catch (Exception ex)
            {
                answer = (599, "test server: " + ex.Message);
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            if (request.Method != "HEAD")
            {
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
            }

            context.Response.Close();
        }
    }

    internal sealed record Request(string Method, string Url, string? Authorization, string? ContentType, string Body)
    {
        public string Path => Url.Split('?', 2)[0];
    }
}
