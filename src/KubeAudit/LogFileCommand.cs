using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Commands;

/// <summary>
/// A command that reads audit log files named by -Path (wildcards) or -LiteralPath (<see cref="FileInputCommand"/>)
/// and stops at Ctrl+C: it holds the stop token and the call of <see cref="LogInput.Read"/> (whole files here).
/// </summary>
/// <remarks>
/// Commands that also read from the pipeline add their own parameter set; <see cref="AuditLogCommand"/> adds -Follow
/// and -Tail, which turn the same call into a follow or a tail.
/// </remarks>
public abstract class LogFileCommand : FileInputCommand, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled by Ctrl+C (or by the command, to stop reading).</summary>
    protected CancellationToken StopToken => _stop.Token;

    /// <summary>Whether Ctrl+C (or the command) has stopped the reading.</summary>
    protected bool IsStopped => _stop.IsCancellationRequested;

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops reading: for a command that gives up (a store that failed for good).</summary>
    protected void CancelReading() => _stop.Cancel();

    /// <summary>The files the paths name: folders become their logs, rotated sets ordered oldest first (see <see cref="LogInput.ResolveFiles"/>).</summary>
    protected IReadOnlyList<string> ResolveLogFiles(bool follow = false) => LogInput.ResolveFiles(this, GivenPaths, IsLiteral, follow);

    /// <summary>Whether to follow the newest file rather than read the files whole (<see cref="AuditLogCommand"/>: -Follow).</summary>
    protected virtual bool Following => false;

    /// <summary>How many last lines of each file to read (null: all; <see cref="AuditLogCommand"/>: -Tail).</summary>
    protected virtual int? TailLines => null;

    /// <summary>Runs on the pipeline thread each time a follow has read everything there is.</summary>
    protected virtual Action? CaughtUp => null;

    /// <summary>
    /// Reads the files the paths name into <paramref name="take"/>: whole (with progress), or, as
    /// <see cref="Following"/> and <see cref="TailLines"/> say, the last lines of each or a follow of the newest.
    /// </summary>
    protected void ReadLogs(Action<AuditEvent> take, AuditEventFilter? filter = null)
    {
        var files = ResolveLogFiles(Following);
        if (files.Count > 0)
        {
            LogInput.Read(this, files, take, StopToken, filter, Following, TailLines, CaughtUp);
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Releases the stop token and, in commands that hold more, the rest.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Dispose();
        }
    }
}
