using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace KubeAudit;

/// <summary>
/// A JSON array kept raw (see <see cref="RawJson"/>), such as a JSON Patch request body, that is also a read-only
/// list of its items, so ConvertTo-Json writes it as the array it holds and the pipeline enumerates it.
/// </summary>
[SuppressMessage("Design", "CA1010", Justification = "Non-generic IList on purpose: PowerShell enumerates and ConvertTo-Json writes IList; a generic list would add nothing there.")]
public sealed class RawJsonArray : RawJson, IList
{
    private object?[]? _items;

    /// <summary>Wraps the UTF-8 bytes of a JSON array.</summary>
    public RawJsonArray(ReadOnlyMemory<byte> utf8)
        : base(utf8)
    {
    }

    private object?[] Items => _items ??= Element.ValueKind == JsonValueKind.Array ? Element.EnumerateArray().Select(Convert).ToArray() : [];

    object? IList.this[int index] { get => Items[index]; set => throw ReadOnly(); }

    bool IList.IsReadOnly => true;

    bool IList.IsFixedSize => true;

    int ICollection.Count => Items.Length;

    bool ICollection.IsSynchronized => false;

    object ICollection.SyncRoot => this;

    int IList.Add(object? value) => throw ReadOnly();

    void IList.Clear() => throw ReadOnly();

    bool IList.Contains(object? value) => Array.IndexOf(Items, value) >= 0;

    int IList.IndexOf(object? value) => Array.IndexOf(Items, value);

    void IList.Insert(int index, object? value) => throw ReadOnly();

    void IList.Remove(object? value) => throw ReadOnly();

    void IList.RemoveAt(int index) => throw ReadOnly();

    void ICollection.CopyTo(Array array, int index) => Items.CopyTo(array, index);

    IEnumerator IEnumerable.GetEnumerator() => Items.GetEnumerator();

    private static NotSupportedException ReadOnly() => new("A logged body is read-only.");
}
