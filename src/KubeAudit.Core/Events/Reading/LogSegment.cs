namespace KubeAudit.Core.Events.Reading;

/// <summary>
/// A byte range of a log file that starts at a line boundary; a whole file when Length is null.
/// <paramref name="Detected"/> marks a whole file in another format than plain JSON lines, read through AuditSource.
/// </summary>
internal sealed record LogSegment(string File, long Start, long? Length, bool FirstOfFile, bool LastOfFile, bool Detected = false)
{
    /// <summary>
    /// Cuts the files into segments: large plain files into <paramref name="pieces"/> at line boundaries,
    /// everything else (small or gzip files, which can only be read from the start) whole.
    /// </summary>
    public static List<LogSegment> Plan(IReadOnlyList<string> files, int pieces, long minimumPieceBytes)
    {
        var segments = new List<LogSegment>();
        foreach (var file in files)
        {
            long size;
            bool gzip;
            try
            {
                using var stream = System.IO.File.OpenRead(file);
                size = stream.Length;
                gzip = stream.ReadByte() == 0x1F && stream.ReadByte() == 0x8B;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // Reading it will report the problem in order.
                segments.Add(new LogSegment(file, 0, null, true, true));
                continue;
            }

            if (Formats.AuditSource.DetectFileFormat(file) is not (Formats.AuditLogFormat.JsonLines or Formats.AuditLogFormat.Empty))
            {
                // Documents, legacy text and cloud exports go through format detection, whole.
                segments.Add(new LogSegment(file, 0, null, true, true, Detected: true));
                continue;
            }

            var count = (int)Math.Min(pieces, size / Math.Max(1, minimumPieceBytes));
            if (gzip || count < 2)
            {
                segments.Add(new LogSegment(file, 0, null, true, true));
                continue;
            }

            var cuts = new List<long> { 0 };
            for (var i = 1; i < count; i++)
            {
                var cut = NextLineStart(file, size * i / count);
                if (cut > cuts[^1] && cut < size)
                {
                    cuts.Add(cut);
                }
            }

            for (var i = 0; i < cuts.Count; i++)
            {
                var end = i + 1 < cuts.Count ? cuts[i + 1] : size;
                segments.Add(new LogSegment(file, cuts[i], end - cuts[i], i == 0, i == cuts.Count - 1));
            }
        }

        return segments;
    }

    // The offset just past the first newline at or after 'from' (the file's end if there is none).
    private static long NextLineStart(string file, long from)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        stream.Position = from;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return stream.Position - read + newline + 1;
            }
        }

        return stream.Length;
    }
}
