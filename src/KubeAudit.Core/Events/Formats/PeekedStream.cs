using KubeAudit.Core.Events.Reading;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// A read-only stream that lets the format be detected from its first bytes and then gives those
/// bytes again, so streams that cannot seek (gzip, pipes) can be sniffed too.
/// </summary>
internal sealed class PeekedStream : ReadOnlyWrapperStream
{
    private byte[] _peeked = [];
    private int _peekedLength;
    private int _position;
    private bool _innerDone;
    private bool _reading;

    public PeekedStream(Stream inner, bool leaveOpen)
        : base(inner, leaveOpen)
    {
    }

    /// <summary>A stream that gives <paramref name="prefix"/> first, then the rest of <paramref name="inner"/>.</summary>
    public PeekedStream(ReadOnlySpan<byte> prefix, Stream inner, bool leaveOpen)
        : this(inner, leaveOpen)
    {
        _peeked = prefix.ToArray();
        _peekedLength = _peeked.Length;
    }

    /// <summary>The bytes peeked so far (from the start of the stream).</summary>
    public ReadOnlySpan<byte> Peeked => _peeked.AsSpan(0, _peekedLength);

    /// <summary>True once peeking has reached the end of the stream.</summary>
    public bool PeekedToEnd => _innerDone;

    /// <summary>Reads more into the peek buffer until it holds <paramref name="count"/> bytes or the stream ends.</summary>
    public void PeekAtLeast(int count)
    {
        if (_reading)
        {
            throw new InvalidOperationException("Cannot peek after reading has started.");
        }

        if (_peeked.Length < count)
        {
            Array.Resize(ref _peeked, count);
        }

        while (_peekedLength < count && !_innerDone)
        {
            var read = Inner.Read(_peeked, _peekedLength, count - _peekedLength);
            if (read == 0)
            {
                _innerDone = true;
            }

            _peekedLength += read;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _reading = true;
        if (_position < _peekedLength)
        {
            var n = Math.Min(buffer.Length, _peekedLength - _position);
            _peeked.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            if (_position == _peekedLength)
            {
                _peeked = []; // no longer needed
                _peekedLength = _position = 0;
            }

            return n;
        }

        return Inner.Read(buffer);
    }
}
