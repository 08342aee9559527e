namespace KubeAudit.Core.Policy;

/// <summary>
/// An exact, case-sensitive string set tuned for policy lists: a linear scan for the usual handful of
/// entries (faster than hashing), a HashSet for long lists. Lookups never allocate.
/// </summary>
internal sealed class OrdinalSet
{
    private const int LinearLimit = 8;
    private readonly string[] _items;
    private readonly HashSet<string>? _hash;

    public OrdinalSet(IEnumerable<string> items)
    {
        _items = items.Distinct(StringComparer.Ordinal).ToArray();
        if (_items.Length > LinearLimit)
        {
            _hash = new HashSet<string>(_items, StringComparer.Ordinal);
        }
    }

    public int Count => _items.Length;

    public IReadOnlyList<string> Items => _items;

    public bool Contains(string value)
    {
        if (_hash is not null)
        {
            return _hash.Contains(value);
        }

        foreach (var item in _items)
        {
            if (string.Equals(item, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any of <paramref name="values"/> is in the set (userGroups semantics).</summary>
    public bool ContainsAny(string[] values)
    {
        foreach (var value in values)
        {
            if (value is not null && Contains(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Null for an empty list: the policy's "empty matches everything".</summary>
    public static OrdinalSet? OrAny(string[] items) => items.Length == 0 ? null : new OrdinalSet(items);
}
