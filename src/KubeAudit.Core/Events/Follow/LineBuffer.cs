namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// The bytes read but not yet consumed as lines. It grows to hold one long line, up to a limit,
/// and goes back to its base size afterwards so a single 50 MB event does not pin 50 MB for the
/// rest of a long follow. A line over the limit is dropped as it streams by.
/// </summary>
internal sealed class LineBuffer
{
    private readonly byte[] _base;
    private readonly int _limit;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _discarding;
    private int _scanned; // pending bytes already searched for '\n' in vain: long lines stay O(n)

    public LineBuffer(int baseSize, int maxLineBytes)
    {
        _base = new byte[baseSize];
        _buffer = _base;
        _limit = maxLineBytes;
    }

    /// <summary>The size of the buffer now: the base size except while a long line is in it.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Bytes waiting: the start of a line not yet ended by '\n'.</summary>
    public int Pending => _end - _start;

    /// <summary>Room to read into, after compacting or growing as needed.</summary>
    public Memory<byte> Free()
    {
        if (_buffer != _base && Pending <= _base.Length / 2)
        {
            MoveTo(_base);
        }
        else if (_start > 0 && (_end == _buffer.Length || _start >= _buffer.Length / 2))
        {
            MoveTo(_buffer);
        }

        if (_end == _buffer.Length)
        {
            // Full and no '\n' in it (else the caller would have taken a line): one line is growing.
            var bigger = new byte[(int)Math.Min((long)_buffer.Length * 2, _limit + 1L)];
            MoveTo(bigger);
        }

        return _buffer.AsMemory(_end);
    }

    public void Commit(int count) => _end += count;

    /// <summary>
    /// The next line without its '\n'. <paramref name="tooLong"/> is set, with an empty line, once
    /// for a line that outgrew the limit; its bytes are then skipped up to its '\n'.
    /// </summary>
    public bool TryTake(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        line = default;
        var pending = _buffer.AsSpan(_start, Pending);
        var newline = IndexOfNewline(pending);
        if (_discarding)
        {
            if (newline < 0)
            {
                _start = _end;
                _scanned = 0;
                return false;
            }

            _discarding = false;
            _start += newline + 1;
            pending = pending[(newline + 1)..];
            newline = IndexOfNewline(pending);
        }

        if (newline >= 0)
        {
            line = pending[..newline];
            _start += newline + 1;
            return true;
        }

        if (Pending > _limit)
        {
            // Reported now, counted as one line; the rest of it is dropped as it arrives.
            _start = _end;
            _scanned = 0;
            _discarding = true;
            tooLong = true;
            return true;
        }

        _scanned = Pending;
        return false;
    }

    /// <summary>Takes what is left as the last line of a file that will not grow any more.</summary>
    public ReadOnlySpan<byte> TakeRest()
    {
        var rest = _discarding ? default : _buffer.AsSpan(_start, Pending);
        Clear();
        return rest;
    }

    public void Clear()
    {
        _start = _end = _scanned = 0;
        _discarding = false;
        _buffer = _base;
    }

    private int IndexOfNewline(ReadOnlySpan<byte> pending)
    {
        var skip = Math.Min(_scanned, pending.Length);
        var index = pending[skip..].IndexOf((byte)'\n');
        _scanned = 0;
        return index < 0 ? -1 : skip + index;
    }

    private void MoveTo(byte[] target)
    {
        _buffer.AsSpan(_start, Pending).CopyTo(target);
        _end = Pending;
        _start = 0;
        _buffer = target;
    }
}
