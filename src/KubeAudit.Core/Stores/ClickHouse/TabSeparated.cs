namespace KubeAudit.Core.Stores.ClickHouse;

/// <summary>Reads ClickHouse TabSeparated output: one row a line, fields split by tabs, backslash escapes undone.</summary>
internal static class TabSeparated
{
    /// <summary>The lines of <paramref name="stream"/>, each a fresh array, as they arrive.</summary>
    public static IEnumerable<byte[]> Lines(Stream stream, CancellationToken cancel)
    {
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                yield return buffer[start..newline];
                start = newline + 1;
                continue;
            }

            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            cancel.ThrowIfCancellationRequested();
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > start)
                {
                    yield return buffer[start..end];
                }

                yield break;
            }

            end += read;
        }
    }

    /// <summary>The unescaped fields of one line.</summary>
    public static List<byte[]> Split(byte[] line)
    {
        var fields = new List<byte[]>(3);
        var from = 0;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i == line.Length || line[i] == (byte)'\t')
            {
                fields.Add(Unescape(line.AsSpan(from, i - from)));
                from = i + 1;
            }
        }

        return fields;
    }

    private static byte[] Unescape(ReadOnlySpan<byte> field)
    {
        if (field.IndexOf((byte)'\\') < 0)
        {
            return field.ToArray();
        }

        var output = new byte[field.Length];
        var n = 0;
        for (var i = 0; i < field.Length; i++)
        {
            var b = field[i];
            if (b == (byte)'\\' && i + 1 < field.Length)
            {
                b = field[++i] switch
                {
                    (byte)'n' => (byte)'\n',
                    (byte)'t' => (byte)'\t',
                    (byte)'r' => (byte)'\r',
                    (byte)'0' => 0,
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    var other => other,
                };
            }

            output[n++] = b;
        }

        return output[..n];
    }
}
