namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Turns byte offsets in a text held in memory into 1-based line and column numbers. Offsets are
/// expected in increasing order (readers walk forward), so each byte is counted once overall.
/// </summary>
internal sealed class LineCounter
{
    private readonly ReadOnlyMemory<byte> _text;
    private readonly long _firstLine;
    private int _offset;
    private long _line;
    private int _lineStart;

    public LineCounter(ReadOnlyMemory<byte> text, long firstLine)
    {
        _text = text;
        _firstLine = firstLine;
        _line = firstLine;
    }

    /// <summary>The line that <paramref name="offset"/> is on.</summary>
    public long LineAt(int offset)
    {
        if (offset < _offset)
        {
            // Not expected; start again rather than answer wrongly.
            _offset = 0;
            _line = _firstLine;
            _lineStart = 0;
        }

        var span = _text.Span[_offset..Math.Min(offset, _text.Length)];
        var newline = span.IndexOf((byte)'\n');
        while (newline >= 0)
        {
            _line++;
            _lineStart = _offset + newline + 1;
            span = span[(newline + 1)..];
            _offset = _lineStart;
            newline = span.IndexOf((byte)'\n');
        }

        _offset = Math.Min(offset, _text.Length);
        return _line;
    }

    /// <summary>The 1-based byte column of <paramref name="offset"/>.</summary>
    public long ColumnAt(int offset)
    {
        LineAt(offset);
        return offset - _lineStart + 1;
    }

    /// <summary>The offset where line <paramref name="line"/> starts, or -1 past the end.</summary>
    public int OffsetOfLine(long line)
    {
        LineAt(_offset);
        var span = _text.Span;
        while (_line < line)
        {
            var newline = span[_offset..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }

            _offset += newline + 1;
            _lineStart = _offset;
            _line++;
        }

        return _line == line ? _lineStart : -1;
    }
}
