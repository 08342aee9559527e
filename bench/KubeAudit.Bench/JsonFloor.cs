using System.Buffers;
using System.Text.Json;

namespace KubeAudit.Bench;

/// <summary>
/// The floor: one thread, a pooled buffer, every line tokenized by Utf8JsonReader and its top-level
/// "verb" compared, no objects built. Nothing that reads every event can be much faster.
/// </summary>
internal static class JsonFloor
{
    public static long CountVerb(string path, byte[] verb)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        int start = 0, end = 0;
        long count = 0;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                if (HasVerb(buffer.AsSpan(start, newline), verb))
                {
                    count++;
                }

                start += newline + 1;
                continue;
            }

            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, end).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > start && HasVerb(buffer.AsSpan(start, end - start), verb))
                {
                    count++;
                }

                ArrayPool<byte>.Shared.Return(buffer);
                return count;
            }

            end += read;
        }
    }

    private static bool HasVerb(ReadOnlySpan<byte> line, byte[] verb)
    {
        if (line.IsEmpty)
        {
            return false;
        }

        var reader = new Utf8JsonReader(line);
        var found = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("verb"u8))
            {
                reader.Read();
                found = reader.ValueTextEquals(verb);
            }
        }

        return found;
    }
}
