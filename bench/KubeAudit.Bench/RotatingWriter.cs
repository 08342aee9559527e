using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace KubeAudit.Bench;

/// <summary>
/// A busy API server for the -Follow row: appends events at a fixed rate to audit.log and rotates it
/// at a size as lumberjack does (rename to audit-&lt;time&gt;.log, start a new file). The events are the
/// lines of a generated log, cycled, each given the auditID 00000000-0000-0000-0000-&lt;sequence&gt;, so the
/// reader can check that nothing was lost or repeated without keeping every ID. A separate process, so
/// its CPU time is not in the follower's process CPU time the row measures.
/// </summary>
internal static class RotatingWriter
{
    private const string IdKey = "\"auditID\":\"";

    /// <summary>Writes <paramref name="total"/> events at <paramref name="perSecond"/>; returns the UTC time of the last write.</summary>
    public static DateTime Run(string source, string folder, long total, int perSecond, long rotateBytes)
    {
        var lines = File.ReadAllLines(source).Where(l => l.Contains(IdKey, StringComparison.Ordinal)).ToArray();
        var bytes = lines.Select(l => Encoding.UTF8.GetBytes(l + "\n")).ToArray();
        var live = Path.Combine(folder, "audit.log");
        var stream = Open(live);
        var clock = Stopwatch.StartNew();
        long written = 0;
        while (written < total)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * perSecond) + 1);
            while (written < due)
            {
                var line = bytes[written % bytes.Length];
                var at = IndexOfId(line);
                // The 12-digit sequence replaces the last group of the original GUID in place (same length).
                Encoding.ASCII.GetBytes(written.ToString("D12", CultureInfo.InvariantCulture), line.AsSpan(at + 24, 12));
                "00000000-0000-0000-0000-"u8.CopyTo(line.AsSpan(at));
                stream.Write(line);
                written++;
                if (stream.Length >= rotateBytes)
                {
                    stream.Dispose();
                    var backup = Path.Combine(folder, "audit-" + DateTime.UtcNow.ToString("yyyy'-'MM'-'dd'T'HH'-'mm'-'ss'.'fff", CultureInfo.InvariantCulture) + ".log");
                    File.Move(live, backup);
                    stream = Open(live);
                }
            }

            stream.Flush();
            Thread.Sleep(5);
        }

        stream.Dispose();
        return DateTime.UtcNow;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1 << 16);

    private static int IndexOfId(byte[] line)
    {
        var at = line.AsSpan().IndexOf("\"auditID\":\""u8);
        return at + IdKey.Length;
    }
}
