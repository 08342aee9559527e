using System.Text;

namespace KubeAudit.Core.Events;

/// <summary>
/// Turns short UTF-8 values into strings, reusing the string when the same bytes come again.
/// Audit logs repeat verbs, users, resources and namespaces millions of times; one string each
/// saves allocation and memory. Direct-mapped: a colliding value simply replaces the old one.
/// Not thread-safe: one per parser.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxCachedLength = 96;
    private const int SlotCount = 8192;

    private readonly byte[]?[] _keys = new byte[SlotCount][];
    private readonly string?[] _values = new string[SlotCount];

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = hash.ToHashCode() & (SlotCount - 1);
        var key = _keys[slot];
        if (key is not null && utf8.SequenceEqual(key))
        {
            return _values[slot]!;
        }

        var value = Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }
}
