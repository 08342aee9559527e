using System.Text.Json;

namespace KubeAudit.Core.Events.Formats;

/// <summary>Decides an input's format from its first bytes (see <see cref="AuditSource.DetectFormat"/>).</summary>
internal static class FormatDetector
{
    /// <summary>How much is peeked at most: enough for two long JSON lines.</summary>
    public const int MaxPeek = 1024 * 1024;

    private enum ValueState
    {
        Complete,
        Incomplete,
        Invalid,
    }

    public static AuditLogFormat Detect(ReadOnlySpan<byte> start)
    {
        var s = start.StartsWith("\uFEFF"u8) ? start[3..] : start;
        var pos = SkipWhitespace(s, 0);
        if (pos >= s.Length)
        {
            return AuditLogFormat.Empty;
        }

        s = s[pos..];
        var newline = s.IndexOf((byte)'\n');
        var first = (newline < 0 ? s : s[..newline]).TrimEnd(" \t\r"u8);
        switch (s[0])
        {
            case (byte)'[':
                return AuditLogFormat.JsonDocument;
            case (byte)'{':
                return DetectJson(s, first, newline);
        }

        if (LegacyLineParser.LooksLegacy(first))
        {
            return AuditLogFormat.LegacyText;
        }

        return TimestampPrefix.TryMatch(first, out _) ? AuditLogFormat.TimestampedJsonLines : AuditLogFormat.Unknown;
    }

    /// <summary>True when <paramref name="peeked"/> holds enough to decide: two non-blank lines, or the end.</summary>
    public static bool HasEnough(ReadOnlySpan<byte> peeked)
    {
        var pos = SkipWhitespace(peeked, peeked.StartsWith("\uFEFF"u8) ? 3 : 0);
        var newline = peeked[pos..].IndexOf((byte)'\n');
        if (newline < 0)
        {
            return false;
        }

        pos = SkipWhitespace(peeked, pos + newline + 1);
        return peeked[pos..].IndexOf((byte)'\n') >= 0;
    }

    private static AuditLogFormat DetectJson(ReadOnlySpan<byte> s, ReadOnlySpan<byte> first, int newline)
    {
        if (first.Length == 1)
        {
            return AuditLogFormat.JsonDocument; // "{" alone on its line: pretty-printed
        }

        switch (StateOf(first))
        {
            case ValueState.Complete:
                try
                {
                    return JsonShape.Of(first).Kind == JsonShapeKind.Plain ? AuditLogFormat.JsonLines : AuditLogFormat.WrappedJsonLines;
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException)
                {
                    return AuditLogFormat.JsonLines;
                }

            case ValueState.Invalid:
                return AuditLogFormat.JsonLines;
        }

        // The first line opens an object it does not close. Either a pretty document whose first line
        // holds a key or two, or a JSON-lines file whose first line is broken: then the next line is an
        // object of its own (or too long to see whole).
        if (newline < 0)
        {
            return AuditLogFormat.JsonLines;
        }

        var rest = s[(newline + 1)..];
        var next = SkipWhitespace(rest, 0);
        if (next >= rest.Length)
        {
            return AuditLogFormat.JsonLines;
        }

        rest = rest[next..];
        var end = rest.IndexOf((byte)'\n');
        var second = (end < 0 ? rest : rest[..end]).TrimEnd(" \t\r"u8);
        if (second[0] == (byte)'{' && (StateOf(second) == ValueState.Complete || (end < 0 && StateOf(second) == ValueState.Incomplete)))
        {
            return AuditLogFormat.JsonLines;
        }

        return AuditLogFormat.JsonDocument;
    }

    private static ValueState StateOf(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line, isFinalBlock: false, state: default);
            if (!reader.Read() || !reader.TrySkip())
            {
                return ValueState.Incomplete;
            }

            return line[(int)reader.BytesConsumed..].Trim(" \t\r"u8).IsEmpty ? ValueState.Complete : ValueState.Invalid;
        }
        catch (JsonException)
        {
            return ValueState.Invalid;
        }
    }

    // NUL counts as blank here: a crash with preallocated blocks can leave a run of them before the first event.
    private static int SkipWhitespace(ReadOnlySpan<byte> text, int pos)
    {
        while (pos < text.Length && text[pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0)
        {
            pos++;
        }

        return pos;
    }
}
