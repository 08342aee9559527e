namespace KubeAudit.Core.Stores;

/// <summary>How <see cref="AuditEventSender"/> batches and retries.</summary>
public sealed class SendOptions
{
    /// <summary>Events per request.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>Attempts per batch (the first included) before the sender gives up.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The wait before the first retry; it doubles each retry, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Waits between attempts (tests pass one that does not sleep).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>Where to save the position of the last acknowledged batch (with -Follow); null: nowhere.</summary>
    public string? CheckpointPath { get; init; }
}
