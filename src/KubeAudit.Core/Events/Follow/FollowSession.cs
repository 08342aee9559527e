using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Rotation;

namespace KubeAudit.Core.Events.Follow;

/// <summary>The state of one <see cref="AuditLogFollower.Follow"/> enumeration.</summary>
internal sealed class FollowSession : IDisposable
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly string _path;
    private readonly int _tail;
    private readonly AuditLogFollowerOptions _options;
    private readonly CancellationToken _cancel;
    private readonly AuditEventParser _parser = new();
    private readonly LineBuffer _buffer;
    private readonly Queue<AuditLogRecord> _ready = new();
    private readonly RotationCatchUp _catchUp = new();
    private readonly CopyTruncateGuard _guard;

    private ActiveFile? _file;
    // What preceded the file to open next: the backups known then and the file followed (if any), to
    // find the generations rotated away in between. The old file stays open until then: once closed,
    // a deleted (compressed) file's inode can be reused by a newer backup and be taken for it.
    private (IReadOnlyList<RotatedBackup> Backups, ActiveFile? Own)? _previous;
    private (FileIdentity Identity, long Offset, long Line, bool Known)? _lost; // after a read error
    private bool _firstOpen = true;
    private bool _applyTail = true;
    private bool _replacementSeen;
    private string? _lastError;
    private FollowPosition? _resume;
    private readonly bool _positions;

    public FollowSession(string path, int tail, AuditLogFollowerOptions options, CancellationToken cancel, FollowPosition? resume = null, bool positions = false)
    {
        _resume = resume;
        _positions = positions;
        _path = path;
        _tail = tail;
        _options = options;
        _cancel = cancel;
        _buffer = new LineBuffer(options.BufferBytes, options.MaxLineBytes);
        _guard = new CopyTruncateGuard(path);
    }

    /// <summary>Where the line of the record last returned ends, when it came straight from the followed file; else null.</summary>
    public FollowPosition? Position { get; private set; }

    /// <summary>Blocks until the next record; false once cancelled.</summary>
    public bool TryNext(out AuditLogRecord record)
    {
        Position = null;
        while (!_cancel.IsCancellationRequested)
        {
            if (_ready.TryDequeue(out record) || _catchUp.TryNext(out record))
            {
                return true;
            }

            if (_file is null)
            {
                if (!TryOpen())
                {
                    Sleep();
                }

                continue;
            }

            if (TryTakeLine(out record))
            {
                return true;
            }

            if (!ReadMore() && !CheckPath())
            {
                _options.Idle?.Invoke();
                Sleep();
            }
        }

        record = default;
        return false;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _previous?.Own?.Dispose();
        _catchUp.Dispose();
    }

    private void Sleep() => _cancel.WaitHandle.WaitOne(_options.PollInterval);

    private bool TryOpen()
    {
        var file = ActiveFile.TryOpen(_path, out var error, out var before);
        var first = _firstOpen;
        _firstOpen = false;
        if (first)
        {
            _options.Started?.Invoke();
        }

        if (file is null)
        {
            if (first)
            {
                // It appears later: everything in it, and in backups made before we see it, is new.
                _applyTail = false;
                _previous = (before, null);
            }

            if (error is not null)
            {
                Report(error.Message);
            }

            return false;
        }

        _lastError = null;
        _file = file;
        _replacementSeen = false;
        var fromStart = !first || !_applyTail || _tail < 0;
        if (_previous is { } previous)
        {
            _catchUp.Add(previous.Backups, previous.Own?.Identity, file.Backups);
            previous.Own?.Dispose();
            _previous = null;
        }
        else if (first && file.Backups.Any(b => !before.Any(old => old.Timestamp == b.Timestamp)))
        {
            // Rotated while we opened it for the first time: what went into those backups is not
            // history to tail but may be new. Read them whole, then this file from its start.
            _catchUp.Add(before, null, file.Backups);
            fromStart = true;
        }

        if (_resume is { } resume && Resume(file, resume))
        {
            return true;
        }

        SetStart(file, fromStart);
        return true;
    }

    // A checkpoint from an earlier run: go on after it in the same file, or, when that file was rotated away, from its
    // backup (lines through the checkpoint skipped), the backups after it, then this file from its start.
    private static bool HoldsCheckpoint(string backup, FollowPosition resume)
    {
        try
        {
            using var handle = File.OpenHandle(backup, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return RandomAccess.GetLength(handle) >= resume.Offset && resume.StillIn(handle);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private bool Resume(ActiveFile file, FollowPosition resume)
    {
        _resume = null;
        if (file.Identity == resume.Identity && file.OpenLength >= resume.Offset && resume.StillIn(file.Handle))
        {
            _buffer.Clear();
            (file.Offset, file.Line, file.LineKnown, file.AtStart) = (resume.Offset, resume.Line, resume.Line > 0, resume.Offset == 0);
            _guard.Load(file.Handle, resume.Offset);
            return true;
        }

        var backups = file.Backups;
        var own = backups.ToList().FindIndex(b => b.Plain is not null && FileStamps.OfPath(b.Plain)?.Identity == resume.Identity && HoldsCheckpoint(b.Plain, resume));
        if (own >= 0)
        {
            _catchUp.Resume(backups.Skip(own).ToList(), resume.Line);
        }
        else
        {
            _ready.Enqueue(new AuditLogRecord(null, new Diagnostic(DiagnosticCodes.ReadFailed, DiagnosticSeverity.Warning,
                "The file the checkpoint points into is no longer there uncompressed; following resumes at the start of the current file, and events written to the old one after the checkpoint may be missing.",
                _path)));
        }

        SetStart(file, fromStart: true);
        return true;
    }

    private void SetStart(ActiveFile file, bool fromStart)
    {
        if (_lost is { } lost && lost.Identity == file.Identity && file.OpenLength >= lost.Offset)
        {
            // The same file again after a read error: carry on where we were, partial line included.
            (file.Offset, file.Line, file.LineKnown) = (lost.Offset, lost.Line, lost.Known);
        }
        else
        {
            _buffer.Clear();
            var start = fromStart ? 0 : TailLocator.FindStart(file.Handle, file.OpenLength, _tail);
            file.Offset = start;
            file.LineKnown = file.AtStart = start == 0;
            _guard.Load(file.Handle, start);
        }

        _lost = null;
    }

    // Reads what follows the offset; false at the end of the file.
    private bool ReadMore()
    {
        int read;
        Span<byte> free;
        try
        {
            if (!_guard.StillHolds(_file!.Handle, _file.Offset))
            {
                // Truncated and written past our offset again since we last looked: the size alone hides it.
                Truncated(_file);
                return true;
            }

            free = _buffer.Free().Span;
            read = RandomAccess.Read(_file.Handle, free, _file.Offset);
        }
        catch (IOException ex)
        {
            // E.g. a stale network handle: reopen, and resume if it is still the same file.
            _lost = (_file!.Identity, _file.Offset, _file.Line, _file.LineKnown);
            _file.Dispose();
            _file = null;
            Report(ex.Message);
            return true;
        }

        _guard.Saw(free[..read]);
        _buffer.Commit(read);
        _file.Offset += read;
        return read > 0;
    }

    // At the end of the file: has it been truncated, or replaced by a new file at the path?
    private bool CheckPath()
    {
        var file = _file!;
        var handle = FileStamps.OfHandle(file.Handle);
        var path = FileStamps.OfPath(_path);
        if (path is { } p && p.Identity == handle.Identity && !(p.Identity.Heuristic && p.Length < handle.Length))
        {
            _replacementSeen = false;
            if (handle.Length >= file.Offset)
            {
                return false;
            }

            // copytruncate: the same file, now shorter than what we read.
            Truncated(file);
            return true;
        }

        if (path is null)
        {
            _replacementSeen = false;
            return false; // renamed or deleted, nothing new yet: keep draining the old handle
        }

        if (!_replacementSeen)
        {
            // The writer may have added to the old file after our last read: read it to its end once
            // more, after having seen the new file (lumberjack closes the old one before creating it).
            _replacementSeen = true;
            return true;
        }

        // The old file is finished: an unterminated last line is as complete as it will get.
        if (_buffer.Pending > 0 && ToRecord(_buffer.TakeRest(), file.LineKnown ? file.Line + 1 : 0) is { } last)
        {
            _ready.Enqueue(last);
        }

        _buffer.Clear();
        _previous = (file.Backups, file);
        _file = null;
        return true;
    }

    // copytruncate: what was written after our offset and before the truncation is only in the copy.
    // Take it from there when the copy is found (same bytes before our offset), else say what may be missing; then start the file over.
    private void Truncated(ActiveFile file)
    {
        var partial = _buffer.Pending;
        var from = file.Offset - partial; // the start of the line we were in the middle of
        var next = file.LineKnown ? file.Line + 1 : 0;
        if (_guard.FindCopy(file.Offset) is { } copy)
        {
            foreach (var (line, index) in CopyTruncateGuard.ReadLines(copy, from).Select((l, i) => (l, i)))
            {
                if (ToRecord(line, next == 0 ? 0 : next + index, copy) is { } r)
                {
                    _ready.Enqueue(r);
                }
            }
        }
        else
        {
            _ready.Enqueue(new AuditLogRecord(null, _guard.Missing(file.Offset, partial, next)));
        }

        _buffer.Clear();
        _guard.Reset();
        (file.Offset, file.Line, file.LineKnown, file.AtStart) = (0, 0, true, true);
    }

    private bool TryTakeLine(out AuditLogRecord record)
    {
        while (_buffer.TryTake(out var line, out var tooLong))
        {
            var file = _file!;
            file.Line++;
            if (file.AtStart)
            {
                file.AtStart = false;
                if (line.StartsWith(Utf8Bom))
                {
                    line = line[Utf8Bom.Length..];
                }
            }

            var number = file.LineKnown ? file.Line : 0;
            if (tooLong)
            {
                record = new AuditLogRecord(null, new Diagnostic(DiagnosticCodes.LineTooLong, DiagnosticSeverity.Error,
                    $"The line is longer than {_options.MaxLineBytes} bytes and was skipped.", _path, number));
                return true;
            }

            if (ToRecord(line, number) is { } r)
            {
                record = r;
                Position = _positions
                    ? new FollowPosition(_path, file.Identity.Volume, file.Identity.Index, file.Identity.Heuristic, file.Offset - _buffer.Pending, number,
                        line[^Math.Min(line.Length, FollowPosition.FingerprintBytes)..].ToArray())
                    : null;
                return true;
            }
        }

        record = default;
        return false;
    }

    private AuditLogRecord? ToRecord(ReadOnlySpan<byte> line, long number, string? file = null)
    {
        file ??= _path;
        line = line.Trim(" \t\r"u8);
        if (Reading.NulRun.Length(line) is > 0 and var nuls)
        {
            // The warning comes first, then the line read from after the run.
            if (ToRecord(line[nuls..], number, file) is { } after)
            {
                _ready.Enqueue(after);
            }

            return new AuditLogRecord(null, Reading.NulRun.Skipped(line[..nuls], file, number));
        }

        if (line.IsEmpty)
        {
            return null;
        }

        // The event keeps its bytes, so it gets its own copy; the buffer is reused.
        var ev = _parser.Parse(line.ToArray(), file, number, out var error);
        return new AuditLogRecord(ev, error);
    }

    // Once per distinct problem, so a file that stays unreadable does not flood the output.
    private void Report(string message)
    {
        if (message == _lastError)
        {
            return;
        }

        _lastError = message;
        _ready.Enqueue(new AuditLogRecord(null, new Diagnostic(DiagnosticCodes.ReadFailed, DiagnosticSeverity.Error,
            "Cannot read the file: " + message, _path)));
    }
}
