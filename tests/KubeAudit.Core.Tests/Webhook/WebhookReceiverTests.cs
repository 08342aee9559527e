using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Webhook;

namespace KubeAudit.Core.Tests.Webhook;

public class WebhookReceiverTests
{
    private const string Peer = "10.1.2.3:4567";

    private static string Event(int i, string verb = "get") =>
        $$"""{"level":"Metadata","auditID":"id-{{i}}","stage":"ResponseComplete","requestURI":"/api/v1/pods","verb":"{{verb}}","user":{"username":"u"},"objectRef":{"resource":"pods","namespace":"ns","name":"p{{i}}"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-01-01T00:00:00Z","stageTimestamp":"2026-01-01T00:00:00Z"}""";

    private static string EventList(IEnumerable<string> items) =>
        """{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[""" + string.Join(",", items) + "]}";

    private static WebhookBatch? Parse(string body, AuditEventFilter? filter, out string? reason) =>
        WebhookBodyParser.Parse(Encoding.UTF8.GetBytes(body), Peer, filter, new AuditEventParser(), out reason);

    private static WebhookRequest Post(string body, string? contentType = "application/json", string? token = null, long? length = -1, string method = "POST") =>
        new(method, Peer, contentType, length == -1 ? Encoding.UTF8.GetByteCount(body) : length, token is null ? null : "Bearer " + token, null, new MemoryStream(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Parse_EventList_GivesEveryItemInOrder_WithPeerAndIndex()
    {
        var batch = Parse(EventList(Enumerable.Range(0, 5).Select(i => Event(i))), null, out var reason);

        Assert.Null(reason);
        Assert.NotNull(batch);
        Assert.Equal(5, batch.EventCount);
        Assert.Equal(["id-0", "id-1", "id-2", "id-3", "id-4"], batch.Records.Select(r => r.Event!.AuditId));
        Assert.All(batch.Records, r => Assert.Equal("webhook://" + Peer, r.Event!.File));
        Assert.Equal([1L, 2, 3, 4, 5], batch.Records.Select(r => r.Event!.Line));
    }

    [Fact]
    public void Parse_SingleEvent_AndEmptyList()
    {
        Assert.Equal("id-7", Parse(Event(7), null, out _)!.Records.Single().Event!.AuditId);
        Assert.Empty(Parse("""{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":null}""", null, out _)!.Records);
    }

    [Theory]
    [InlineData("garbage", "not valid JSON")]
    [InlineData("", "empty")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"kind":"Pod","apiVersion":"v1"}""", "is a Pod")]
    [InlineData("""{"kind":"EventList","items":[]} x""", "not valid JSON")]
    [InlineData("""{"kind":"EventList","items":[""", "not valid JSON")]
    [InlineData("""{"hello":"world"}""", "neither an audit.k8s.io EventList nor an Event")]
    public void Parse_BodyThatIsNoEventList_IsRefusedWithAReason(string body, string expected)
    {
        Assert.Null(Parse(body, null, out var reason));
        Assert.Contains(expected, reason);
    }

    [Fact]
    public void Parse_BadItemInGoodList_IsAProblemInPlace_AndTheRestComesOut()
    {
        var batch = Parse(EventList([Event(0), "\"not an event\"", Event(2)]), null, out _);

        Assert.Equal(3, batch!.Records.Count);
        Assert.Equal(2, batch.EventCount);
        Assert.Equal("id-0", batch.Records[0].Event!.AuditId);
        Assert.Equal(2, batch.Records[1].Error!.Line);
        Assert.Equal("webhook://" + Peer, batch.Records[1].Error!.File);
        Assert.Equal("id-2", batch.Records[2].Event!.AuditId);
    }

    [Fact]
    public void Parse_Filter_DropsEventsBeforeTheyAreQueued()
    {
        var filter = new AuditEventFilter { Verbs = ["create"] };
        var batch = Parse(EventList([Event(0), Event(1, "create"), Event(2)]), filter, out _);

        Assert.Equal(["id-1"], batch!.Records.Select(r => r.Event!.AuditId));
    }

    [Fact]
    public void Queue_RefusesWhatDoesNotFit_ButAlwaysTakesABatchWhenEmpty()
    {
        var queue = new WebhookQueue(10);
        var big = Parse(EventList(Enumerable.Range(0, 25).Select(i => Event(i))), null, out _)!;
        var small = Parse(EventList([Event(0)]), null, out _)!;

        Assert.True(queue.TryAdd(big));
        Assert.False(queue.TryAdd(small));
        Assert.True(queue.TryTake(TimeSpan.Zero, CancellationToken.None, out var taken));
        Assert.Same(big, taken);
        Assert.True(queue.TryAdd(small));
        Assert.False(queue.TryAdd(big));
        Assert.True(queue.TryAdd(small, evenIfFull: true)); // a refused body's error, which must reach the pipeline
        queue.Close();
        Assert.False(queue.TryAdd(small));
        Assert.True(queue.TryTake(TimeSpan.Zero, CancellationToken.None, out _));
        Assert.True(queue.TryTake(TimeSpan.Zero, CancellationToken.None, out _));
        Assert.False(queue.TryTake(TimeSpan.Zero, CancellationToken.None, out _));
    }

    [Fact]
    public void Authenticator_Token()
    {
        var auth = new WebhookAuthenticator(null, "s3cret", allowAnonymous: false);

        Assert.Null(auth.Check(Post("{}", token: "s3cret")));
        Assert.Equal(401, auth.Check(Post("{}", token: "s3cre"))!.Value.StatusCode);
        Assert.Equal(401, auth.Check(Post("{}"))!.Value.StatusCode);
        Assert.Null(new WebhookAuthenticator(null, null, allowAnonymous: true).Check(Post("{}")));
    }

    [Fact]
    public async Task Receiver_AnswersEachCase_AndQueuesOnlyAcceptedBatches()
    {
        var queue = new WebhookQueue(3);
        var receiver = new WebhookReceiver(new WebhookAuthenticator(null, "t", false), queue, null, maxBodySize: 4096);
        var ok = EventList([Event(0), Event(1)]);

        Assert.Equal(401, (await receiver.HandleAsync(Post(ok), default)).StatusCode);
        Assert.Equal(405, (await receiver.HandleAsync(Post(ok, token: "t", method: "GET"), default)).StatusCode);
        Assert.Equal(415, (await receiver.HandleAsync(Post(ok, "text/plain", "t"), default)).StatusCode);
        Assert.Equal(413, (await receiver.HandleAsync(Post(new string(' ', 5000), token: "t"), default)).StatusCode);
        var chunked = await receiver.HandleAsync(Post(new string(' ', 5000), token: "t", length: null), default);
        Assert.True(chunked.StatusCode == 413, chunked.Text); // chunked
        Assert.Equal(200, (await receiver.HandleAsync(Post(ok, "application/json; charset=utf-8", "t"), default)).StatusCode);
        Assert.Equal(503, (await receiver.HandleAsync(Post(ok, token: "t"), default)).StatusCode);
        Assert.Equal(1, queue.BatchCount);

        var bad = await receiver.HandleAsync(Post("nope", token: "t"), default);
        Assert.Equal(400, bad.StatusCode);
        Assert.Contains("not valid JSON", bad.Text);
        Assert.Equal(2, queue.BatchCount); // the problem goes to the pipeline too, behind the accepted batch
        queue.TryTake(TimeSpan.Zero, default, out _);
        queue.TryTake(TimeSpan.Zero, default, out var problem);
        Assert.Equal(DiagnosticCodes.WebhookBatchRefused, problem!.Records.Single().Error!.Code);
        Assert.Contains(Peer, problem.Records.Single().Error!.Message);

        Assert.Equal(1, receiver.Statistics.AcceptedBatches);
        Assert.Equal(2, receiver.Statistics.AcceptedEvents);
        Assert.Equal(1, receiver.Statistics.Unauthorized);
        Assert.Equal(2, receiver.Statistics.TooLarge);
        Assert.Equal(1, receiver.Statistics.Busy);
    }

    [Fact]
    public async Task KestrelServer_ServesOverHttp_AndFreesThePortOnStop()
    {
        var queue = new WebhookQueue(100);
        var receiver = new WebhookReceiver(new WebhookAuthenticator(null, null, true), queue, null, 1 << 20);
        int port;
        using (var server = KestrelWebhookServer.Start(new WebhookServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, receiver))
        {
            port = server.EndPoint.Port;
            Assert.NotEqual(0, port);
            using var client = new HttpClient();
            var content = new StringContent(EventList([Event(0)]), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var response = await client.PostAsync($"http://127.0.0.1:{port}/", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, queue.EventCount);
            server.Stop(TimeSpan.FromMilliseconds(500));
        }

        var again = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
        again.Start();
        again.Stop();
    }
}
