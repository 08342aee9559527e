namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// <c>tail -F</c> for an audit log the API server is writing: yields the events of complete lines
/// as they are appended, and keeps going across lumberjack rotation (rename and create),
/// copy-truncate, and the file being absent for a while.
/// </summary>
public sealed class AuditLogFollower
{
    private readonly AuditLogFollowerOptions _options;

    /// <summary>A follower with default options.</summary>
    public AuditLogFollower()
        : this(new AuditLogFollowerOptions())
    {
    }

    /// <summary>A follower with the given options.</summary>
    public AuditLogFollower(AuditLogFollowerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PollInterval, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BufferBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineBytes, 1);
        _options = options;
    }

    /// <summary>
    /// Follows the log at <paramref name="path"/>. First the last <paramref name="tail"/> complete
    /// lines already there (0: none, only what comes next; -1: the whole file), then each line as it
    /// is completed. MoveNext blocks until a record is ready and returns false, without throwing,
    /// once <paramref name="cancel"/> is cancelled (within one poll interval, or at once while
    /// sleeping). Enumerate on one thread; each enumeration follows independently.
    /// </summary>
    /// <remarks>
    /// <para>Events and diagnostics name <paramref name="path"/> as given, also for the end of a file
    /// read after it was renamed away; lumberjack backups read whole to catch up with rotations that
    /// happened between two looks name the backup. Line numbers are real when the file was read from
    /// its start (tail -1; a file that appeared, or was rotated or truncated, while followed) and 0
    /// when reading started in the middle (tail 0 or N on an existing file).</para>
    /// <para>The follow starts at the first MoveNext. A file that does not exist then is waited for
    /// and read from its start, after any backups of it made in the meantime. Problems opening or
    /// reading give a <c>ReadFailed</c> record (once per distinct problem) and the follow goes on.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The path is empty or names a <c>.gz</c> file: compressed
    /// backups are complete and are read, not followed.</exception>
    public IEnumerable<AuditLogRecord> Follow(string path, int tail, CancellationToken cancel)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(tail, -1);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("A compressed backup is complete and cannot be followed; read it instead.", nameof(path));
        }

        return Run(path, tail, cancel);
    }

    /// <summary>
    /// Like <see cref="Follow"/>, with where each record's line ends in the followed file (null for records from elsewhere:
    /// backups read to catch up, copies of truncated files, warnings). With <paramref name="resume"/>, a position saved by
    /// an earlier run, reading goes on right after it instead of at <paramref name="tail"/>.
    /// </summary>
    public IEnumerable<(AuditLogRecord Record, FollowPosition? Position)> FollowWithPositions(string path, int tail, FollowPosition? resume, CancellationToken cancel)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("A compressed backup is complete and cannot be followed; read it instead.", nameof(path));
        }

        return RunWithPositions(path, tail, resume, cancel);
    }

    private IEnumerable<(AuditLogRecord, FollowPosition?)> RunWithPositions(string path, int tail, FollowPosition? resume, CancellationToken cancel)
    {
        using var session = new FollowSession(path, tail, _options, cancel, resume, positions: true);
        while (session.TryNext(out var record))
        {
            yield return (record, session.Position);
        }
    }

    private IEnumerable<AuditLogRecord> Run(string path, int tail, CancellationToken cancel)
    {
        using var session = new FollowSession(path, tail, _options, cancel);
        while (session.TryNext(out var record))
        {
            yield return record;
        }
    }
}
