using System.Text;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Splits a legacy text line (spec §6: <c>&lt;RFC3339Nano&gt; AUDIT: id="..." stage="..." ...</c>) into
/// its timestamp and Go-quoted values. Unknown keys are kept (later versions may add some), and
/// unquoted values (<c>key=value</c>) are accepted up to the next space.
/// </summary>
internal static class LegacyLineParser
{
    /// <summary>The marker that every legacy and basic-audit line carries after its timestamp.</summary>
    public static ReadOnlySpan<byte> Marker => " AUDIT: "u8;

    public static bool LooksLegacy(ReadOnlySpan<byte> line) => line.IndexOf(Marker) > 0;

    /// <summary>Parses a line; on failure returns null with a reason and the 1-based column.</summary>
    public static LegacyLine? TryParse(ReadOnlySpan<byte> line, long lineNumber, out string? error, out int column)
    {
        error = null;
        column = 1;
        var marker = line.IndexOf(Marker);
        if (marker <= 0)
        {
            error = "the line has no \" AUDIT: \" marker";
            return null;
        }

        // The timestamp is the last word before the marker; anything before it (a glog prefix) is ignored.
        var head = line[..marker].TrimEnd((byte)' ');
        var tsStart = head.LastIndexOf((byte)' ') + 1;
        var tsText = Encoding.UTF8.GetString(head[tsStart..]);
        if (!TimestampParser.TryParse(tsText, out var timestamp))
        {
            error = $"'{PrintableText.Of(tsText)}' is not an RFC 3339 timestamp";
            column = tsStart + 1;
            return null;
        }

        var fields = new Dictionary<string, string>(16, StringComparer.Ordinal);
        var i = marker + Marker.Length;
        while (i < line.Length)
        {
            if (line[i] == (byte)' ' || line[i] == (byte)'\t')
            {
                i++;
                continue;
            }

            var eq = line[i..].IndexOf((byte)'=');
            var space = line[i..].IndexOfAny((byte)' ', (byte)'"');
            if (eq <= 0 || (space >= 0 && space < eq))
            {
                error = "expected key=\"value\"";
                column = i + 1;
                return null;
            }

            var key = Encoding.UTF8.GetString(line.Slice(i, eq));
            var valueStart = i + eq + 1;
            string value;
            if (valueStart < line.Length && line[valueStart] == (byte)'"')
            {
                var end = GoUnquote.FindEnd(line, valueStart);
                if (end < 0)
                {
                    error = $"the value of {PrintableText.Of(key)} has no closing quote";
                    column = valueStart + 1;
                    return null;
                }

                if (!GoUnquote.TryUnquote(line[valueStart..end], out value, out var bad))
                {
                    error = $"the value of {PrintableText.Of(key)} is not a valid Go-quoted string";
                    column = valueStart + bad + 1;
                    return null;
                }

                i = end;
            }
            else
            {
                var end = line[valueStart..].IndexOf((byte)' ');
                end = end < 0 ? line.Length : valueStart + end;
                value = Encoding.UTF8.GetString(line[valueStart..end]);
                i = end;
            }

            fields[key] = value;
        }

        return new LegacyLine(timestamp, fields, lineNumber);
    }

    /// <summary>
    /// Splits a group list as the legacy format writes it after the first unquote:
    /// each group Go-quoted, joined with commas (<c>"a","b"</c>). Returns null when malformed.
    /// </summary>
    public static string[]? SplitGroups(string list)
    {
        if (list.Length == 0)
        {
            return [];
        }

        var bytes = Encoding.UTF8.GetBytes(list);
        var groups = new List<string>();
        var i = 0;
        while (true)
        {
            if (i >= bytes.Length || bytes[i] != (byte)'"')
            {
                return null;
            }

            var end = GoUnquote.FindEnd(bytes, i);
            if (end < 0 || !GoUnquote.TryUnquote(bytes.AsSpan(i, end - i), out var group, out _))
            {
                return null;
            }

            groups.Add(group);
            if (end == bytes.Length)
            {
                return [.. groups];
            }

            if (bytes[end] != (byte)',')
            {
                return null;
            }

            i = end + 1;
        }
    }
}
