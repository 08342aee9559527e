using System.Collections;
using System.Runtime.CompilerServices;

namespace KubeAudit;

/// <summary>
/// A read-only list of strings (source IPs, groups) that prints as its items joined with ", ", so Export-Csv and
/// string conversion write the values rather than a type name; ConvertTo-Json and the pipeline still see a list.
/// </summary>
[CollectionBuilder(typeof(StringList), nameof(Create))]
public sealed class StringList : IReadOnlyList<string>
{
    private static readonly StringList s_empty = new([]);
    private readonly string[] _items;

    private StringList(string[] items) => _items = items;

    /// <summary>The number of items.</summary>
    public int Count => _items.Length;

    /// <summary>The number of items (as on an array).</summary>
    public int Length => _items.Length;

    /// <summary>The item at <paramref name="index"/>.</summary>
    public string this[int index] => _items[index];

    /// <summary>Wraps <paramref name="items"/> (kept, not copied).</summary>
    public static implicit operator StringList(string[]? items) => items is null || items.Length == 0 ? s_empty : new StringList(items);

    /// <summary>The items as an array.</summary>
    public static implicit operator string[](StringList? list) => list?._items ?? [];

    /// <summary>A list of <paramref name="items"/> (for collection expressions).</summary>
    public static StringList Create(ReadOnlySpan<string> items) => items.ToArray();

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>The items joined with ", ".</summary>
    public override string ToString() => string.Join(", ", _items);
}
