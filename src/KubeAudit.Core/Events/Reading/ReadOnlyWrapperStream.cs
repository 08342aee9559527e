namespace KubeAudit.Core.Events.Reading;

/// <summary>
/// The part every forward-only, read-only wrapper over another stream shares: no seeking, no writing,
/// no length, and the inner stream disposed with the wrapper unless it is to be left open.
/// </summary>
internal abstract class ReadOnlyWrapperStream(Stream inner, bool leaveOpen = false) : Stream
{
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
