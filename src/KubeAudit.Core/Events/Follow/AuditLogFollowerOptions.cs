namespace KubeAudit.Core.Events.Follow;

/// <summary>Tuning for <see cref="AuditLogFollower"/>.</summary>
public sealed class AuditLogFollowerOptions
{
    /// <summary>
    /// How long to sleep when there is nothing new before looking again (file size, identity of the
    /// path). Polling rather than inotify, which is unreliable on container and network mounts.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest line kept (default 64 MiB, above the API server's largest events). A longer line
    /// gives a <c>LineTooLong</c> error record and is skipped, so memory stays bounded.
    /// </summary>
    public int MaxLineBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>The read buffer, and the most read at once (default 256 KiB).</summary>
    public int BufferBytes { get; init; } = 256 * 1024;

    /// <summary>Called once the first look at the path is done (tests synchronise with the start on it).</summary>
    internal Action? Started { get; init; }

    /// <summary>
    /// Called on the following thread each time it has read everything there is and is about to wait: the moment a
    /// caller can report on the backlog it has seen (a follow has no end where a summary could go), or a sender
    /// flushes its partial batch, so followed events do not wait for the batch to fill.
    /// </summary>
    public Action? Idle { get; init; }
}
