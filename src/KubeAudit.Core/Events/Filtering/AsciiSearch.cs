namespace KubeAudit.Core.Events.Filtering;

/// <summary>Byte-level searches used to rule lines out before they are parsed.</summary>
internal static class AsciiSearch
{
    /// <summary>
    /// Whether <paramref name="haystack"/> contains <paramref name="needle"/> as a whole JSON string;
    /// <paramref name="quoted"/> is the needle with its quotes, for the exact search.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static bool ContainsQuoted(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle, ReadOnlySpan<byte> quoted, bool ignoreCase)
    {
        // The vectorised substring search settles every case-sensitive check and most others.
        if (haystack.IndexOf(quoted) >= 0)
        {
            return true;
        }

        if (!ignoreCase || !HasLetter(needle))
        {
            return false;
        }

        var first = needle[0];
        var firstUpper = ToUpper(first);
        var firstLower = ToLower(first);
        var offset = 0;
        while (true)
        {
            var rest = haystack[offset..];
            var i = ignoreCase && firstUpper != firstLower ? rest.IndexOfAny(firstLower, firstUpper) : rest.IndexOf(first);
            if (i < 0)
            {
                return false;
            }

            var at = offset + i;
            if (at > 0 && haystack[at - 1] == (byte)'"' && at + needle.Length < haystack.Length && haystack[at + needle.Length] == (byte)'"'
                && Equal(haystack.Slice(at, needle.Length), needle, ignoreCase))
            {
                return true;
            }

            offset = at + 1;
        }
    }

    /// <summary>Whether the bytes contain the number <paramref name="digits"/> not preceded or followed by another digit.</summary>
    public static bool ContainsNumber(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> digits)
    {
        var offset = 0;
        while (true)
        {
            var i = haystack[offset..].IndexOf(digits);
            if (i < 0)
            {
                return false;
            }

            var at = offset + i;
            var end = at + digits.Length;
            if ((at == 0 || !IsDigit(haystack[at - 1])) && (end >= haystack.Length || !IsDigit(haystack[end])))
            {
                return true;
            }

            offset = at + 1;
        }
    }

    private static bool Equal(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool ignoreCase)
    {
        if (!ignoreCase)
        {
            return a.SequenceEqual(b);
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (ToLower(a[i]) != ToLower(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasLetter(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (ToLower(b) is >= (byte)'a' and <= (byte)'z')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    private static byte ToUpper(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b & ~0x20) : b;
}
