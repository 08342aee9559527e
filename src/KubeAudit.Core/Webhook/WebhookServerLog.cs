using Microsoft.Extensions.Logging;

namespace KubeAudit.Core.Webhook;

/// <summary>
/// What the server underneath says of itself (an exception in a request it answered with its own bare 500,
/// a body arriving too slowly, a bad request), passed to <see cref="WebhookServerOptions.ServerLog"/>
/// so it is not lost: without it Kestrel's reasons go nowhere and only the status reaches the client.
/// </summary>
internal sealed class WebhookServerLog(Action<string, Exception?> write) : ILoggerFactory, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => Scope.Instance;

    // Information and above: the minimum-data-rate and bad-request notices are logged at Information.
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            write($"{logLevel} {eventId.Name}: {formatter(state, exception)}", exception);
        }
    }

    private sealed class Scope : IDisposable
    {
        public static readonly Scope Instance = new();

        public void Dispose()
        {
        }
    }
}
