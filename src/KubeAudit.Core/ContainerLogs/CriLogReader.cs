using System.Globalization;
using System.Text;

namespace KubeAudit.Core.ContainerLogs;

/// <summary>One error line from a container log in CRI format.</summary>
/// <param name="Timestamp">When the runtime received the line (of its first part, for a joined partial line).</param>
/// <param name="Stream">stdout or stderr.</param>
/// <param name="Message">The full message, partial parts joined.</param>
public sealed record CriLogLine(DateTimeOffset Timestamp, string Stream, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + " " + Stream + " " + Message;
}

/// <summary>
/// Reads the kube-apiserver container log the kubelet keeps under /var/log/pods, to say why the API server
/// did not come back after a manifest change. Lines are in CRI format:
/// <c>&lt;RFC3339Nano time&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;message&gt;</c>, where P marks a partial line
/// that continues in the next line of the same stream, up to an F.
/// </summary>
public static class CriLogReader
{
    /// <summary>The kubelet's pod log root.</summary>
    public const string DefaultPodsFolder = "/var/log/pods";

    /// <summary>The newest kube-apiserver container log under <paramref name="podsFolder"/>, or null when there is none.</summary>
    public static string? FindNewestLog(string? podsFolder = null)
    {
        podsFolder ??= DefaultPodsFolder;
        try
        {
            if (!Directory.Exists(podsFolder))
            {
                return null;
            }

            FileInfo? newest = null;
            foreach (var pod in Directory.EnumerateDirectories(podsFolder, "kube-system_kube-apiserver-*"))
            {
                var container = Path.Combine(pod, "kube-apiserver");
                if (!Directory.Exists(container))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(container, "*.log"))
                {
                    if (!file.EndsWith(".log", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var info = new FileInfo(file);
                    if (newest is null || Newer(info, newest))
                    {
                        newest = info;
                    }
                }
            }

            return newest?.FullName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The last <paramref name="max"/> error lines (oldest first) of the newest kube-apiserver container log under
    /// <paramref name="podsFolder"/>, at or after <paramref name="since"/>; empty when there is no log or it cannot be read.
    /// Error lines are klog errors (<c>E</c> + MMDD), <c>Error:</c> lines, and complete lines containing "failed" or "invalid".
    /// </summary>
    public static IReadOnlyList<CriLogLine> ReadErrors(string podsFolder, DateTimeOffset? since = null, int max = 20)
    {
        ArgumentNullException.ThrowIfNull(podsFolder);
        if (max <= 0)
        {
            return [];
        }

        var file = FindNewestLog(podsFolder);
        if (file is null)
        {
            return [];
        }

        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return ReadErrorsFrom(reader, since, max);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The error lines of CRI-format text; see <see cref="ReadErrors(string, DateTimeOffset?, int)"/>.</summary>
    public static IReadOnlyList<CriLogLine> ReadErrorsFrom(TextReader reader, DateTimeOffset? since = null, int max = 20)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var found = new Queue<CriLogLine>();
        if (max <= 0)
        {
            return [];
        }

        // Partial lines are joined per stream.
        var pending = new Dictionary<string, (DateTimeOffset Time, StringBuilder Text)>(StringComparer.Ordinal);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (!TryParse(line, out var time, out var streamName, out var partial, out var message))
            {
                continue;
            }

            if (pending.TryGetValue(streamName, out var open))
            {
                open.Text.Append(message);
                if (partial)
                {
                    continue;
                }

                pending.Remove(streamName);
                time = open.Time;
                message = open.Text.ToString();
            }
            else if (partial)
            {
                pending[streamName] = (time, new StringBuilder(message));
                continue;
            }

            if ((since is { } s && time < s) || !IsError(message))
            {
                continue;
            }

            found.Enqueue(new CriLogLine(time, streamName, message));
            if (found.Count > max)
            {
                found.Dequeue();
            }
        }

        return [.. found];
    }

    /// <summary>True for a klog error line (E + MMDD), an <c>Error:</c> line, or one containing "failed" or "invalid".</summary>
    public static bool IsError(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length >= 5 && message[0] == 'E' && char.IsAsciiDigit(message[1]) && char.IsAsciiDigit(message[2])
            && char.IsAsciiDigit(message[3]) && char.IsAsciiDigit(message[4]) && (message.Length == 5 || message[5] == ' '))
        {
            return true;
        }

        var trimmed = message.TrimStart();
        return trimmed.StartsWith("Error:", StringComparison.Ordinal)
            || message.Contains("failed", StringComparison.OrdinalIgnoreCase)
            || message.Contains("invalid", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Splits one CRI log line; false when it is not one.</summary>
    public static bool TryParse(string line, out DateTimeOffset timestamp, out string stream, out bool partial, out string message)
    {
        ArgumentNullException.ThrowIfNull(line);
        timestamp = default;
        stream = string.Empty;
        partial = false;
        message = string.Empty;
        var first = line.IndexOf(' ');
        if (first <= 0 || !TryParseTime(line.AsSpan(0, first), out timestamp))
        {
            return false;
        }

        var second = line.IndexOf(' ', first + 1);
        if (second < 0)
        {
            return false;
        }

        stream = line[(first + 1)..second];
        if (stream is not ("stdout" or "stderr"))
        {
            return false;
        }

        // The tag is P or F, possibly followed by more ':'-separated tags; older runtimes wrote no tag at all.
        var third = line.IndexOf(' ', second + 1);
        var tag = third < 0 ? line.AsSpan(second + 1) : line.AsSpan(second + 1, third - second - 1);
        var colon = tag.IndexOf(':');
        var main = colon < 0 ? tag : tag[..colon];
        if (main is "P" or "F")
        {
            partial = main is "P";
            message = third < 0 ? string.Empty : line[(third + 1)..];
        }
        else
        {
            message = line[(second + 1)..];
        }

        return true;
    }

    private static bool TryParseTime(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        // RFC3339Nano has up to 9 fractional digits; .NET takes 7.
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                var shortened = string.Concat(text[..(dot + 8)], text[end..]);
                return DateTimeOffset.TryParse(shortened, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static bool Newer(FileInfo candidate, FileInfo current)
    {
        var c = candidate.LastWriteTimeUtc;
        var n = current.LastWriteTimeUtc;
        if (c != n)
        {
            return c > n;
        }

        // Same time: the higher restart number (1.log after 0.log), then the name.
        var cn = Number(candidate.Name);
        var nn = Number(current.Name);
        return cn != nn ? cn > nn : string.CompareOrdinal(candidate.FullName, current.FullName) > 0;
    }

    private static long Number(string name) =>
        long.TryParse(Path.GetFileNameWithoutExtension(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
}
