using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Rotation;

namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// Reads, whole and in order, backups of generations that were created and rotated away between
/// two looks at the path (a writer faster than the poll interval), so that they are not lost.
/// </summary>
internal sealed class RotationCatchUp : IDisposable
{
    private readonly Queue<RotatedBackup> _queue = new();
    private JsonLinesReader? _reader;
    private IEnumerator<AuditLogRecord>? _records;
    private string? _file;
    private RotatedBackup? _skipFile;
    private long _skipThrough;
    private bool _skipping;

    /// <summary>
    /// Queues the backups in <paramref name="now"/> that were not in <paramref name="before"/>, except
    /// the file that was being followed (<paramref name="own"/>, already read through its handle) and
    /// any older. That file is recognised by identity; when it is no longer there uncompressed
    /// (compressed, cleaned up), the oldest new backup is taken to be it, as lumberjack rotates in
    /// order. With no <paramref name="own"/> (the path did not exist when the follow began) all
    /// new backups are queued.
    /// </summary>
    public void Add(IReadOnlyList<RotatedBackup> before, FileIdentity? own, IReadOnlyList<RotatedBackup> now)
    {
        var known = before.Select(b => b.Timestamp).ToHashSet();
        var fresh = now.Where(b => !known.Contains(b.Timestamp)).ToList();
        var skip = 0;
        if (own is { } id)
        {
            var index = fresh.FindIndex(b => b.Plain is not null && FileStamps.OfPath(b.Plain)?.Identity == id);
            skip = index >= 0 ? index + 1 : 1;
        }

        foreach (var backup in fresh.Skip(skip))
        {
            _queue.Enqueue(backup);
        }
    }

    /// <summary>Queues <paramref name="backups"/> (oldest first) to read whole, skipping the first one's lines through <paramref name="skipThrough"/>.</summary>
    public void Resume(IReadOnlyList<RotatedBackup> backups, long skipThrough)
    {
        foreach (var backup in backups)
        {
            _queue.Enqueue(backup);
        }

        _skipThrough = skipThrough;
        _skipFile = backups.Count > 0 ? backups[0] : null;
    }

    public bool TryNext(out AuditLogRecord record)
    {
        while (true)
        {
            if (_records is not null)
            {
                if (MoveNext(out record))
                {
                    if (_skipping && (record.Event?.Line ?? record.Error?.Line ?? 0) is var line && line > 0 && line <= _skipThrough)
                    {
                        continue; // sent before the checkpoint
                    }

                    return true;
                }

                CloseReader();
            }

            if (!_queue.TryDequeue(out var backup))
            {
                record = default;
                return false;
            }

            _skipping = ReferenceEquals(backup, _skipFile);
            if (Open(backup) is { } error)
            {
                record = new AuditLogRecord(null, error);
                return true;
            }
        }
    }

    public void Dispose() => CloseReader();

    private bool MoveNext(out AuditLogRecord record)
    {
        try
        {
            if (_records!.MoveNext())
            {
                record = _records.Current;
                return true;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            record = new AuditLogRecord(null, new Diagnostic(DiagnosticCodes.ReadFailed, DiagnosticSeverity.Error,
                "A rotated file could not be read to its end: " + ex.Message, _file));
            CloseReader();
            return true;
        }

        record = default;
        return false;
    }

    // The mill may remove the .log between listing and opening: then its finished .gz is read.
    private Diagnostic? Open(RotatedBackup backup)
    {
        Exception? failure = null;
        foreach (var path in new[] { backup.Plain, backup.Compressed ?? backup.Plain + LumberjackNames.CompressedSuffix })
        {
            if (path is null)
            {
                continue;
            }

            try
            {
                _reader = JsonLinesReader.OpenFile(path);
                _file = path;
                _records = _reader.ReadRecords().GetEnumerator();
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failure = ex;
            }
        }

        return new Diagnostic(DiagnosticCodes.ReadFailed, DiagnosticSeverity.Error,
            "A rotated file could not be read: " + failure?.Message, backup.Path);
    }

    private void CloseReader()
    {
        _records?.Dispose();
        _reader?.Dispose();
        _records = null;
        _reader = null;
    }
}
