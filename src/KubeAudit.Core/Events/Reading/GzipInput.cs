using System.Buffers.Binary;
using System.IO.Compression;

namespace KubeAudit.Core.Events.Reading;

/// <summary>
/// Decompresses gzip and notices an archive cut short. GZipStream ends quietly when the compressed
/// bytes run out mid-stream (a copy that stopped, a full disk during compression), which would pass off
/// half a file as all of it. At the end, the archive's last 8 bytes must be its trailer: the content
/// length (ISIZE, mod 2^32) must match what was decompressed. A cut archive ends in deflate data or part
/// of the trailer, which matches by chance once in 2^32. The check throws <see cref="InvalidDataException"/>
/// after the last byte was handed out, so readers report it after the events the archive did hold.
/// </summary>
/// <remarks>
/// Several gzip members joined end to end (<c>cat a.gz b.gz</c>) are read whole by GZipStream; their
/// last trailer counts only the last member, so when a later member header was seen the check gives the
/// benefit of the doubt instead of a false alarm.
/// </remarks>
internal sealed class GzipInput : ReadOnlyWrapperStream
{
    private readonly TailStream _compressed;
    private long _length;
    private bool _checked;

    private GzipInput(TailStream compressed)
        : base(new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false))
    {
        _compressed = compressed;
    }

    /// <summary>Compressed bytes read so far, for progress.</summary>
    public long CompressedPosition => _compressed.Count;

    /// <summary>Decompresses <paramref name="compressed"/> (starting at its gzip header), checking the trailer at the end.</summary>
    public static GzipInput Open(Stream compressed, bool leaveOpen) => new(new TailStream(compressed, leaveOpen));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        _length += read;
        if (read == 0 && buffer.Length > 0 && !_checked)
        {
            _checked = true;
            CheckTrailer();
        }

        return read;
    }

    private void CheckTrailer()
    {
        if (_compressed.SawLaterMember)
        {
            return;
        }

        var tail = _compressed.Last8;
        if (tail.Length == 8 && BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]) == (uint)_length)
        {
            return;
        }

        throw new InvalidDataException(
            $"the gzip archive is truncated: it ends after {_compressed.Count} compressed bytes without its trailer; the {_length} bytes decompressed before that were read, the rest is missing.");
    }

    // Passes compressed bytes through, keeping the last 8 and looking for the header of a further member.
    private sealed class TailStream(Stream inner, bool leaveOpen) : ReadOnlyWrapperStream(inner, leaveOpen)
    {
        private readonly byte[] _last = new byte[8];

        private static ReadOnlySpan<byte> MemberHeader => [0x1F, 0x8B, 0x08];
        private int _lastLength;

        public long Count { get; private set; }

        public bool SawLaterMember { get; private set; }

        public ReadOnlySpan<byte> Last8 => _last.AsSpan(0, _lastLength);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = Inner.Read(buffer);
            if (read > 0)
            {
                Note(buffer[..read]);
            }

            return read;
        }

        private void Note(ReadOnlySpan<byte> data)
        {
            // A member header (1F 8B 08) right after a would-be trailer; only after the first header.
            var from = Count < 10 ? (int)Math.Min(10 - Count, data.Length) : 0;
            if (!SawLaterMember && data[from..].IndexOf(MemberHeader) >= 0)
            {
                SawLaterMember = true;
            }

            Count += data.Length;
            if (data.Length >= 8)
            {
                data[^8..].CopyTo(_last);
                _lastLength = 8;
                return;
            }

            var keep = Math.Min(_lastLength, 8 - data.Length);
            _last.AsSpan(_lastLength - keep, keep).CopyTo(_last);
            data.CopyTo(_last.AsSpan(keep));
            _lastLength = keep + data.Length;
        }
    }
}
