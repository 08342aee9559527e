using System.Diagnostics;
using System.Net;

namespace KubeAudit.Core.Manifests;

/// <summary>The time a <see cref="HealthWaiter"/> sees: elapsed time and pauses; tests give one that only pretends.</summary>
public interface IHealthClock
{
    /// <summary>The wall-clock time now.</summary>
    DateTimeOffset UtcNow { get; }

    /// <summary>Time since the wait started.</summary>
    TimeSpan Elapsed { get; }

    /// <summary>Pauses for <paramref name="pause"/>; throws when <paramref name="token"/> is cancelled.</summary>
    void Pause(TimeSpan pause, CancellationToken token);
}

/// <summary>How a wait for the API server ended.</summary>
/// <param name="Healthy">True when the URI answered 200 in time.</param>
/// <param name="Last">The last answer otherwise: <c>HTTP 503 Service Unavailable</c>, a connection error, <c>no answer within 2 s</c>.</param>
/// <param name="Elapsed">How long the wait took.</param>
/// <param name="Started">When the wait started (errors logged from 2 s before it are read).</param>
public sealed record HealthWaitResult(bool Healthy, string Last, TimeSpan Elapsed, DateTimeOffset Started);

/// <summary>
/// Polls a health URI (kube-apiserver's /livez) with GET until it answers 200 or the time is up: each try is cut
/// at 2 s, tries are at least 1 s apart. The HTTP handler and the clock are injectable.
/// </summary>
public sealed class HealthWaiter
{
    /// <summary>The last answer before any came.</summary>
    public const string NoAnswer = "no answer yet";

    private static readonly TimeSpan s_tryLimit = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);
    private readonly HttpMessageHandler _handler;
    private readonly IHealthClock _clock;

    /// <summary>A waiter sending through <paramref name="handler"/> (not disposed here), on <paramref name="clock"/> (real time by default).</summary>
    public HealthWaiter(HttpMessageHandler handler, IHealthClock? clock = null)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _clock = clock ?? new StopwatchClock();
    }

    /// <summary>The handler for real waits: accepts any certificate of an https URI when <paramref name="skipCertificateCheck"/>.</summary>
    public static HttpMessageHandler CreateHandler(Uri uri, bool skipCertificateCheck)
    {
        var handler = new HttpClientHandler();
        if (skipCertificateCheck && uri?.Scheme == Uri.UriSchemeHttps)
        {
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        }

        return handler;
    }

    /// <summary>
    /// Waits until <paramref name="uri"/> answers 200 or <paramref name="timeout"/> has passed; <paramref name="progress"/> hears the
    /// last answer and the elapsed time after each try. Cancelling <paramref name="token"/> throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public HealthWaitResult Wait(Uri uri, TimeSpan timeout, Action<string, TimeSpan>? progress, CancellationToken token)
    {
        var started = _clock.UtcNow;
        var start = _clock.Elapsed;
        var last = NoAnswer;
        using var client = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        while (true)
        {
            var remaining = timeout - (_clock.Elapsed - start);
            if (remaining <= TimeSpan.Zero)
            {
                return new HealthWaitResult(false, last, _clock.Elapsed - start, started);
            }

            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                attempt.CancelAfter(remaining < s_tryLimit ? remaining : s_tryLimit);
                try
                {
                    using var response = client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, attempt.Token).GetAwaiter().GetResult();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return new HealthWaitResult(true, "HTTP 200 OK", _clock.Elapsed - start, started);
                    }

                    last = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    // A try cut short by the overall timeout keeps the answer before it.
                    if (remaining >= s_tryLimit || last == NoAnswer)
                    {
                        last = "no answer within 2 s";
                    }
                }
                catch (HttpRequestException ex)
                {
                    last = ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})" : ex.Message;
                }
            }

            var elapsed = _clock.Elapsed - start;
            progress?.Invoke(last, elapsed);
            var pause = timeout - elapsed;
            if (pause > s_interval)
            {
                pause = s_interval;
            }

            if (pause > TimeSpan.Zero)
            {
                _clock.Pause(pause, token);
            }
        }
    }

    private sealed class StopwatchClock : IHealthClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        public TimeSpan Elapsed => _watch.Elapsed;

        public void Pause(TimeSpan pause, CancellationToken token) => Task.Delay(pause, token).GetAwaiter().GetResult();
    }
}
