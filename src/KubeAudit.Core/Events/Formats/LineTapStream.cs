using KubeAudit.Core.Events.Reading;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Sits between <see cref="JsonLinesReader"/> and its stream and keeps a copy of the lines it has not
/// yet been told are done with, so a line the event parser rejected can be looked at again as another
/// format (a CloudWatch wrapper, a legacy line...) without slowing the reader down for good lines:
/// the cost is one copy and one newline count per byte.
/// </summary>
internal sealed class LineTapStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _length;
    private long _firstLine = 1;  // the line number of _buffer[0]
    private long _doneBefore = 1; // lines before this one may be dropped

    /// <summary>Says that every line before <paramref name="line"/> has been handled.</summary>
    public void Release(long line) => _doneBefore = Math.Max(_doneBefore, line);

    /// <summary>
    /// The bytes of line <paramref name="line"/> (without its newline), or empty when it is no longer held.
    /// Valid until the next read. Releases the lines before it.
    /// </summary>
    public ReadOnlyMemory<byte> GetLine(long line)
    {
        Release(line);
        Trim();
        if (_firstLine != line)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var end = _buffer.AsSpan(0, _length).IndexOf((byte)'\n');
        return _buffer.AsMemory(0, end < 0 ? _length : end);
    }

    /// <summary>
    /// For reading on without the reader: the bytes held from line <paramref name="line"/> on, then the
    /// rest of the underlying stream. The tap is not to be read any more.
    /// </summary>
    public Stream RemainderFrom(long line)
    {
        Release(line);
        Trim();
        return new PeekedStream(_buffer.AsSpan(0, _length), Inner, leaveOpen: true);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Trim();
        var read = Inner.Read(buffer);
        if (read > 0)
        {
            if (_length + read > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + read));
            }

            buffer[..read].CopyTo(_buffer.AsSpan(_length));
            _length += read;
        }

        return read;
    }

    // Drops the complete lines that are done with and moves the rest to the front.
    private void Trim()
    {
        var start = 0;
        while (_firstLine < _doneBefore)
        {
            var newline = _buffer.AsSpan(start, _length - start).IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            start += newline + 1;
            _firstLine++;
        }

        if (start > 0)
        {
            _buffer.AsSpan(start, _length - start).CopyTo(_buffer);
            _length -= start;
        }
    }
}
