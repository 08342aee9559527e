using System.Collections;
using System.Collections.Specialized;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace KubeAudit;

/// <summary>
/// A JSON object kept raw (see <see cref="RawJson"/>) that is also a read-only dictionary of its members, so
/// ConvertTo-Json writes it as the object it holds and <c>$body.metadata</c> reads a member.
/// </summary>
[SuppressMessage("Design", "CA1010", Justification = "Non-generic IDictionary on purpose: $body.metadata and ConvertTo-Json read IDictionary.")]
[SuppressMessage("Naming", "CA1710", Justification = "Named for the JSON it holds, as RawJson and RawJsonArray are; users see the type name.")]
public sealed class RawJsonObject : RawJson, IDictionary
{
    private OrderedDictionary? _members;

    /// <summary>Wraps the UTF-8 bytes of a JSON object.</summary>
    public RawJsonObject(ReadOnlyMemory<byte> utf8)
        : base(utf8)
    {
    }

    internal RawJsonObject(JsonElement element)
        : base(element)
    {
    }

    // Built on first use, in the order the JSON has them (a repeated name keeps its last value, as JSON readers do).
    private OrderedDictionary Members
    {
        get
        {
            if (_members is null)
            {
                var members = new OrderedDictionary(StringComparer.Ordinal);
                if (Element.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in Element.EnumerateObject())
                    {
                        members[property.Name] = Convert(property.Value);
                    }
                }

                _members = members.AsReadOnly();
            }

            return _members;
        }
    }

    object? IDictionary.this[object key] { get => Members[key]; set => throw ReadOnly(); }

    ICollection IDictionary.Keys => Members.Keys;

    ICollection IDictionary.Values => Members.Values;

    bool IDictionary.IsReadOnly => true;

    bool IDictionary.IsFixedSize => true;

    int ICollection.Count => Members.Count;

    bool ICollection.IsSynchronized => false;

    object ICollection.SyncRoot => this;

    void IDictionary.Add(object key, object? value) => throw ReadOnly();

    void IDictionary.Clear() => throw ReadOnly();

    bool IDictionary.Contains(object key) => Members.Contains(key);

    IDictionaryEnumerator IDictionary.GetEnumerator() => Members.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => Members.GetEnumerator();

    void IDictionary.Remove(object key) => throw ReadOnly();

    void ICollection.CopyTo(Array array, int index) => Members.CopyTo(array, index);

    private static NotSupportedException ReadOnly() => new("A logged body is read-only.");
}
