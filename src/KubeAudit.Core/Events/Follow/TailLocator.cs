using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// Finds where the last N complete lines of a file start by reading backwards in blocks, so a
/// tail of a 1 GB log costs a few blocks, not the whole file.
/// </summary>
internal static class TailLocator
{
    private const int BlockSize = 64 * 1024;

    /// <summary>
    /// The offset of the first of the last <paramref name="lines"/> non-blank lines ended by '\n'
    /// within the first <paramref name="length"/> bytes; a trailing unterminated line is not counted
    /// and comes after the offset. 0 when the file has no more lines than that.
    /// </summary>
    public static long FindStart(SafeFileHandle handle, long length, int lines)
    {
        var block = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            var end = LastNewline(handle, length, block) + 1; // just past the last complete line
            if (lines == 0 || end == 0)
            {
                return end;
            }

            var count = 0;
            var content = false;
            var pos = end - 1; // the '\n' of the last complete line: not part of any scan
            while (pos > 0)
            {
                var size = (int)Math.Min(BlockSize, pos);
                var span = ReadExactly(handle, block, pos - size, size);
                if (span.Length < size)
                {
                    return 0; // shrunk under us: the truncation check will start over anyway
                }

                for (var i = size - 1; i >= 0; i--)
                {
                    var b = span[i];
                    if (b == (byte)'\n')
                    {
                        if (content && ++count == lines)
                        {
                            return pos - size + i + 1;
                        }

                        content = false;
                    }
                    else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                    {
                        content = true;
                    }
                }

                pos -= size;
            }

            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    // The position of the last '\n' before length, or -1.
    private static long LastNewline(SafeFileHandle handle, long length, byte[] block)
    {
        var pos = length;
        while (pos > 0)
        {
            var size = (int)Math.Min(BlockSize, pos);
            var index = ReadExactly(handle, block, pos - size, size).LastIndexOf((byte)'\n');
            if (index >= 0)
            {
                return pos - size + index;
            }

            pos -= size;
        }

        return -1;
    }

    private static ReadOnlySpan<byte> ReadExactly(SafeFileHandle handle, byte[] block, long offset, int size)
    {
        var total = 0;
        while (total < size)
        {
            var read = RandomAccess.Read(handle, block.AsSpan(total, size - total), offset + total);
            if (read == 0)
            {
                break; // truncated under us: scan what there is
            }

            total += read;
        }

        return block.AsSpan(0, total);
    }
}
