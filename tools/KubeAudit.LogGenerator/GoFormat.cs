using System.Globalization;
using System.Text;

namespace KubeAudit.LogGenerator;

/// <summary>Go-style value formatting (durations, times) used in audit annotations and URIs.</summary>
internal static class GoFormat
{
    private static readonly long s_epochTicks = DateTime.UnixEpoch.Ticks;

    public static DateTime ToDateTime(long unixMicros) => new(s_epochTicks + unixMicros * 10, DateTimeKind.Utc);

    public static long ToUnixMicros(DateTimeOffset t) => (t.UtcTicks - s_epochTicks) / 10;

    /// <summary>Go's time.Duration.String(), e.g. "512.3ms", "1.5µs", "7m46s".</summary>
    public static string Duration(long ns)
    {
        if (ns == 0)
        {
            return "0s";
        }

        if (ns < 1_000)
        {
            return ns.ToString(CultureInfo.InvariantCulture) + "ns";
        }

        if (ns < 1_000_000)
        {
            return Fraction(ns, 3) + "µs";
        }

        if (ns < 1_000_000_000)
        {
            return Fraction(ns, 6) + "ms";
        }

        var minutes = ns / 60_000_000_000;
        var seconds = Fraction(ns % 60_000_000_000, 9) + "s";
        if (minutes == 0)
        {
            return seconds;
        }

        var hours = minutes / 60;
        var m = (minutes % 60).ToString(CultureInfo.InvariantCulture) + "m";
        return (hours > 0 ? hours.ToString(CultureInfo.InvariantCulture) + "h" : "") + m + seconds;
    }

    private static string Fraction(long v, int digits)
    {
        long unit = 1;
        for (var i = 0; i < digits; i++)
        {
            unit *= 10;
        }

        var whole = (v / unit).ToString(CultureInfo.InvariantCulture);
        var frac = v % unit;
        if (frac == 0)
        {
            return whole;
        }

        return whole + "." + frac.ToString("D" + digits, CultureInfo.InvariantCulture).TrimEnd('0');
    }
}

/// <summary>
/// Identifiers. Stable ones derive from a name (FNV-1a, never string.GetHashCode, which is
/// randomized per process), so an object keeps its uid across events and seeds.
/// Per-request ones (audit IDs) come from the seeded Random.
/// </summary>
internal static class Ids
{
    private const string Hex = "0123456789abcdef";
    // Kubernetes' rand.String alphabet (no vowels, no 0/1/3 look-alikes).
    private const string K8sAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static ulong Hash(string s, ulong basis = 14695981039346656037UL)
    {
        var h = basis;
        foreach (var c in s)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        // Final avalanche so nearby names give unrelated bits.
        h ^= h >> 33; h *= 0xff51afd7ed558ccdUL; h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53UL; h ^= h >> 33;
        return h;
    }

    public static string StableUuid(string key)
    {
        Span<byte> b = stackalloc byte[16];
        BitConverter.TryWriteBytes(b, Hash(key));
        BitConverter.TryWriteBytes(b[8..], Hash(key, 0x9E3779B97F4A7C15UL));
        return Uuid(b);
    }

    public static string RandomUuid(Random rnd)
    {
        Span<byte> b = stackalloc byte[16];
        rnd.NextBytes(b);
        return Uuid(b);
    }

    private static string Uuid(Span<byte> b)
    {
        b[6] = (byte)((b[6] & 0x0F) | 0x40); // version 4
        b[8] = (byte)((b[8] & 0x3F) | 0x80); // RFC 4122 variant
        Span<char> c = stackalloc char[36];
        var n = 0;
        for (var i = 0; i < 16; i++)
        {
            if (i is 4 or 6 or 8 or 10)
            {
                c[n++] = '-';
            }

            c[n++] = Hex[b[i] >> 4];
            c[n++] = Hex[b[i] & 0xF];
        }
        return new string(c);
    }

    /// <summary>Stable lowercase hex string (image digests, container IDs, hashes).</summary>
    public static string StableHex(string key, int length)
    {
        var sb = new StringBuilder(length);
        var basis = 14695981039346656037UL;
        while (sb.Length < length)
        {
            var h = Hash(key, basis);
            for (var i = 0; i < 16 && sb.Length < length; i++, h >>= 4)
            {
                sb.Append(Hex[(int)(h & 0xF)]);
            }

            basis = h ^ 0x9E3779B97F4A7C15UL ^ (ulong)sb.Length;
        }
        return sb.ToString();
    }

    /// <summary>Stable suffix like the ones ReplicaSets and generateName produce ("7d9f8b6c5d", "x2k9p").</summary>
    public static string StableSuffix(string key, int length)
    {
        var h = Hash(key);
        var c = new char[length];
        for (var i = 0; i < length; i++)
        {
            c[i] = K8sAlphabet[(int)(h % (ulong)K8sAlphabet.Length)];
            h /= (ulong)K8sAlphabet.Length;
            if (h == 0)
            {
                h = Hash(key + i);
            }
        }
        return new string(c);
    }

    public static string RandomSuffix(Random rnd, int length)
    {
        Span<char> c = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            c[i] = K8sAlphabet[rnd.Next(K8sAlphabet.Length)];
        }

        return new string(c);
    }

    public static string RandomHex(Random rnd, int length)
    {
        Span<char> c = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            c[i] = Hex[rnd.Next(16)];
        }

        return new string(c);
    }

    /// <summary>Random base64 text of about <paramref name="bytes"/> decoded bytes (secret data, tokens).</summary>
    public static string RandomBase64(Random rnd, int bytes, bool url = false)
    {
        var raw = new byte[bytes];
        rnd.NextBytes(raw);
        var s = Convert.ToBase64String(raw);
        return url ? s.TrimEnd('=').Replace('+', '-').Replace('/', '_') : s;
    }
}
