using System.Net;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>The health wait on a pretend clock: each try is one scripted answer, pauses only move the clock.</summary>
public sealed class HealthWaiterTests
{
    private static readonly Uri s_livez = new("https://127.0.0.1:6443/livez");

    [Fact]
    public void AnswersOk_AfterFailures_IsHealthy()
    {
        var clock = new PretendClock();
        using var handler = new ScriptedHandler(clock, Status(HttpStatusCode.ServiceUnavailable), Refused(), Status(HttpStatusCode.OK));
        var seen = new List<string>();

        var result = new HealthWaiter(handler, clock).Wait(s_livez, TimeSpan.FromMinutes(2), (last, _) => seen.Add(last), CancellationToken.None);

        Assert.True(result.Healthy);
        Assert.Equal(3, handler.Tries);
        Assert.Equal(["HTTP 503 Service Unavailable", "Connection refused (127.0.0.1:6443)"], seen);
        Assert.Equal(TimeSpan.FromSeconds(2), result.Elapsed);
        Assert.Equal(clock.Start, result.Started);
    }

    [Fact]
    public void NeverOk_TimesOut_WithTheLastAnswer()
    {
        var clock = new PretendClock();
        using var handler = new ScriptedHandler(clock, Status(HttpStatusCode.InternalServerError));

        var result = new HealthWaiter(handler, clock).Wait(s_livez, TimeSpan.FromSeconds(5), null, CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Equal("HTTP 500 Internal Server Error", result.Last);
        Assert.Equal(5, handler.Tries);
        Assert.Equal(TimeSpan.FromSeconds(5), result.Elapsed);
    }

    [Fact]
    public void TryCutShort_SaysNoAnswer()
    {
        var clock = new PretendClock();
        using var handler = new ScriptedHandler(clock, Hang());

        var result = new HealthWaiter(handler, clock).Wait(s_livez, TimeSpan.FromSeconds(3), null, CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Equal("no answer within 2 s", result.Last);
    }

    [Fact]
    public void Cancelled_Throws()
    {
        var clock = new PretendClock();
        using var stop = new CancellationTokenSource();
        using var handler = new ScriptedHandler(clock, _ =>
        {
            stop.Cancel();
            return Status(HttpStatusCode.ServiceUnavailable)(CancellationToken.None);
        });

        Assert.ThrowsAny<OperationCanceledException>(() => new HealthWaiter(handler, clock).Wait(s_livez, TimeSpan.FromMinutes(1), null, stop.Token));
    }

    private static Func<CancellationToken, Task<HttpResponseMessage>> Status(HttpStatusCode code) => _ => Task.FromResult(new HttpResponseMessage(code));

    private static Func<CancellationToken, Task<HttpResponseMessage>> Refused() =>
        _ => throw new HttpRequestException("Connection refused (127.0.0.1:6443)", new System.Net.Sockets.SocketException(111));

    // Answers only when the try is cut off (after 2 s of real time at most; the pretend clock does not move).
    private static Func<CancellationToken, Task<HttpResponseMessage>> Hang() =>
        async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("not reached");
        };

    private sealed class PretendClock : IHealthClock
    {
        public DateTimeOffset Start { get; } = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

        public DateTimeOffset UtcNow => Start + Elapsed;

        public TimeSpan Elapsed { get; private set; }

        public void Pause(TimeSpan pause, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            Elapsed += pause;
        }
    }

    // The last answer repeats once the script runs out.
    private sealed class ScriptedHandler(PretendClock clock, params Func<CancellationToken, Task<HttpResponseMessage>>[] answers) : HttpMessageHandler
    {
        public int Tries { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal(HttpMethod.Get, request.Method);
            Assert.Equal(s_livez, request.RequestUri);
            _ = clock;
            return answers[Math.Min(Tries++, answers.Length - 1)](cancellationToken);
        }
    }
}
