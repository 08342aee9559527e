using System.Text;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Recognises <c>&lt;timestamp&gt; &lt;JSON&gt;</c> lines: a CloudWatch Logs export to S3 writes each
/// event's ingestion time, a space, then the message (here, the event JSON).
/// </summary>
internal static class TimestampPrefix
{
    /// <summary>True when the line is a timestamp, whitespace and then JSON; <paramref name="jsonStart"/> is where the JSON starts.</summary>
    public static bool TryMatch(ReadOnlySpan<byte> line, out int jsonStart)
    {
        jsonStart = 0;
        if (line.IsEmpty || line[0] is < (byte)'0' or > (byte)'9')
        {
            return false;
        }

        var space = line.IndexOfAny((byte)' ', (byte)'\t');
        if (space < 10 || space > 40)
        {
            return false;
        }

        var rest = space;
        while (rest < line.Length && line[rest] is (byte)' ' or (byte)'\t')
        {
            rest++;
        }

        if (rest >= line.Length || line[rest] is not ((byte)'{' or (byte)'['))
        {
            return false;
        }

        if (!TimestampParser.TryParse(Encoding.ASCII.GetString(line[..space]), out _))
        {
            return false;
        }

        jsonStart = rest;
        return true;
    }
}
