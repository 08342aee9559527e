using System.Text;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Go's <c>strconv.Unquote</c> for double-quoted strings, on UTF-8 bytes: the legacy audit format
/// writes every value with <c>%q</c>. Escapes: <c>\a \b \f \n \r \t \v \\ \"</c>, <c>\xNN</c> and
/// octal <c>\NNN</c> (single bytes, so possibly invalid UTF-8), <c>\uNNNN</c> and <c>\UNNNNNNNN</c> (runes).
/// Like Go, <c>\'</c> is rejected inside double quotes, and surrogates or runes past U+10FFFF are errors.
/// </summary>
internal static class GoUnquote
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// Finds the quoted string that starts at <paramref name="start"/> (which must be a <c>"</c>) and
    /// returns the index just past its closing quote, or -1 when it is not terminated.
    /// </summary>
    public static int FindEnd(ReadOnlySpan<byte> text, int start)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == (byte)'\\')
            {
                i++;
            }
            else if (text[i] == (byte)'"')
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>
    /// Unquotes <paramref name="quoted"/> (with its surrounding quotes). On a bad escape returns false
    /// and sets <paramref name="errorOffset"/> to the offending byte within <paramref name="quoted"/>.
    /// Invalid UTF-8 produced by <c>\x</c> or octal escapes decodes to U+FFFD, as Go's JSON encoder would write it.
    /// </summary>
    public static bool TryUnquote(ReadOnlySpan<byte> quoted, out string value, out int errorOffset)
    {
        value = string.Empty;
        errorOffset = 0;
        if (quoted.Length < 2 || quoted[0] != (byte)'"' || quoted[^1] != (byte)'"')
        {
            return false;
        }

        var body = quoted[1..^1];
        if (body.IndexOf((byte)'\\') < 0)
        {
            // The common case: nothing to undo. Go also rejects a bare quote or newline inside.
            var bad = body.IndexOfAny((byte)'"', (byte)'\n');
            if (bad >= 0)
            {
                errorOffset = bad + 1;
                return false;
            }

            value = s_utf8.GetString(body);
            return true;
        }

        var bytes = new List<byte>(body.Length);
        Span<byte> rune = stackalloc byte[4];
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == (byte)'"' || c == (byte)'\n')
            {
                errorOffset = i + 1;
                return false;
            }

            if (c != (byte)'\\')
            {
                bytes.Add(c);
                continue;
            }

            errorOffset = i + 1;
            if (++i >= body.Length)
            {
                return false;
            }

            switch (body[i])
            {
                case (byte)'a': bytes.Add(0x07); break;
                case (byte)'b': bytes.Add(0x08); break;
                case (byte)'f': bytes.Add(0x0C); break;
                case (byte)'n': bytes.Add(0x0A); break;
                case (byte)'r': bytes.Add(0x0D); break;
                case (byte)'t': bytes.Add(0x09); break;
                case (byte)'v': bytes.Add(0x0B); break;
                case (byte)'\\': bytes.Add((byte)'\\'); break;
                case (byte)'"': bytes.Add((byte)'"'); break;
                case (byte)'x':
                    if (!TryHex(body, i + 1, 2, out var b))
                    {
                        return false;
                    }

                    bytes.Add((byte)b);
                    i += 2;
                    break;
                case (byte)'u':
                case (byte)'U':
                    var digits = body[i] == (byte)'u' ? 4 : 8;
                    if (!TryHex(body, i + 1, digits, out var code) || !Rune.TryCreate(code, out var r))
                    {
                        return false;
                    }

                    var n = r.EncodeToUtf8(rune);
                    for (var k = 0; k < n; k++)
                    {
                        bytes.Add(rune[k]);
                    }

                    i += digits;
                    break;
                case >= (byte)'0' and <= (byte)'7':
                    // Exactly three octal digits, at most \377.
                    if (i + 2 >= body.Length || !IsOctal(body[i + 1]) || !IsOctal(body[i + 2]))
                    {
                        return false;
                    }

                    var octal = ((body[i] - '0') << 6) | ((body[i + 1] - '0') << 3) | (body[i + 2] - '0');
                    if (octal > 255)
                    {
                        return false;
                    }

                    bytes.Add((byte)octal);
                    i += 2;
                    break;
                default:
                    return false;
            }
        }

        errorOffset = 0;
        value = s_utf8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
        return true;
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';

    private static bool TryHex(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var d = text[i] switch
            {
                >= (byte)'0' and <= (byte)'9' => text[i] - '0',
                >= (byte)'a' and <= (byte)'f' => text[i] - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => text[i] - 'A' + 10,
                _ => -1,
            };
            if (d < 0)
            {
                return false;
            }

            // \U can overflow int with 8 digits; anything past 0x10FFFF is invalid anyway.
            value = value > 0x10FFFF ? int.MaxValue : (value << 4) | d;
        }

        return true;
    }
}
