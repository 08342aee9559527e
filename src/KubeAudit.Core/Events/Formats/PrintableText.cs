using System.Globalization;
using System.Text;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Text from the input made safe to print: control and format characters (ESC sequences, bidi overrides)
/// become <c>\uXXXX</c> or <c>\n</c>-style escapes and bytes that are not UTF-8 become <c>\xNN</c>, so an
/// error about a binary file never sends raw bytes to the terminal.
/// </summary>
internal static class PrintableText
{
    /// <summary>At most <paramref name="max"/> characters of <paramref name="bytes"/>, escaped, with "…" when cut.</summary>
    public static string Of(ReadOnlySpan<byte> bytes, int max)
    {
        var text = new StringBuilder(Math.Min(bytes.Length, max) + 8);
        var pos = 0;
        while (pos < bytes.Length && text.Length < max)
        {
            var status = Rune.DecodeFromUtf8(bytes[pos..], out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{bytes[pos]:X2}");
                pos++;
                continue;
            }

            Append(text, rune);
            pos += consumed;
        }

        return pos < bytes.Length ? text.Append('…').ToString() : text.ToString();
    }

    /// <summary><paramref name="value"/> with control and format characters escaped (for strings read from the input).</summary>
    public static string? Of(string? value)
    {
        if (value is null || !value.EnumerateRunes().Any(NeedsEscape))
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var rune in value.EnumerateRunes())
        {
            Append(text, rune);
        }

        return text.ToString();
    }

    private static bool NeedsEscape(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static void Append(StringBuilder text, Rune rune)
    {
        if (!NeedsEscape(rune))
        {
            text.Append(rune.ToString());
            return;
        }

        switch (rune.Value)
        {
            case '\n': text.Append("\\n"); break;
            case '\r': text.Append("\\r"); break;
            case '\t': text.Append("\\t"); break;
            default:
                text.Append(rune.IsBmp ? "\\u" : "\\U").Append(rune.Value.ToString(rune.IsBmp ? "X4" : "X8", CultureInfo.InvariantCulture));
                break;
        }
    }
}
