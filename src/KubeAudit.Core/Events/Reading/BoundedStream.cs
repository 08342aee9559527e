namespace KubeAudit.Core.Events.Reading;

/// <summary>A read-only window onto part of another stream, so one file can be read in pieces.</summary>
internal sealed class BoundedStream(Stream inner, long length) : ReadOnlyWrapperStream(inner)
{
    private readonly long _length = length;
    private long _remaining = length;

    public override long Position
    {
        get => _length - _remaining;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_remaining <= 0)
        {
            return 0;
        }

        var read = Inner.Read(buffer, offset, (int)Math.Min(count, _remaining));
        _remaining -= read;
        return read;
    }
}
