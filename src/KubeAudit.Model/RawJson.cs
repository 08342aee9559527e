using System.Dynamic;
using System.Text;
using System.Text.Json;

namespace KubeAudit;

/// <summary>
/// A JSON value kept as the UTF-8 bytes it was read from, so bodies cost nothing until asked for and
/// can be written back byte for byte. Asked for, it reads like an object: <c>$e.RequestObject.metadata.name</c>,
/// <c>$e.RequestObject.spec.containers[0].image</c> (parsed once, on first use).
/// </summary>
/// <remarks>
/// <see cref="From(ReadOnlyMemory{byte})"/> gives a <see cref="RawJsonObject"/> (a read-only dictionary) for a JSON object
/// and a <see cref="RawJsonArray"/> (a read-only list) for an array, so ConvertTo-Json writes the JSON the value holds
/// and Format-Table shows its members, instead of this wrapper's own properties.
/// </remarks>
public class RawJson : DynamicObject
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private string? _text;
    private JsonElement? _element;

    /// <summary>Wraps UTF-8 JSON bytes; the caller must not change them afterwards.</summary>
    public RawJson(ReadOnlyMemory<byte> utf8) => _utf8 = utf8;

    /// <summary>Wraps JSON text.</summary>
    public RawJson(string json)
    {
        _text = json;
        _utf8 = Encoding.UTF8.GetBytes(json);
    }

    // A node inside a parsed value: its text is the element's original text.
    private protected RawJson(JsonElement element)
    {
        _element = element;
        _utf8 = Encoding.UTF8.GetBytes(element.GetRawText());
    }

    /// <summary>
    /// Wraps UTF-8 JSON bytes as the view that fits the value: a <see cref="RawJsonObject"/> for an object, a
    /// <see cref="RawJsonArray"/> for an array, else a plain RawJson. Only the first significant byte is read.
    /// </summary>
    public static RawJson From(ReadOnlyMemory<byte> utf8)
    {
        var span = utf8.Span;
        var i = 0;
        while (i < span.Length && span[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i < span.Length ? span[i] switch
        {
            (byte)'{' => new RawJsonObject(utf8),
            (byte)'[' => new RawJsonArray(utf8),
            _ => new RawJson(utf8),
        } : new RawJson(utf8);
    }

    /// <summary>Wraps JSON text as the view that fits the value (see <see cref="From(ReadOnlyMemory{byte})"/>).</summary>
    public static RawJson From(string json) => From(Encoding.UTF8.GetBytes(json));

    /// <summary>The value itself when it is already the view that fits it; else the same bytes as that view.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    internal static RawJson? Fit(RawJson? value) =>
        value is null or RawJsonObject or RawJsonArray ? value : From(value.Utf8);

    /// <summary>The JSON exactly as read, in UTF-8.</summary>
    public ReadOnlyMemory<byte> Utf8 => _utf8;

    /// <summary>Length in bytes.</summary>
    public int Length => _utf8.Length;

    /// <summary>Object, Array, String, Number, True, False or Null.</summary>
    public JsonValueKind ValueKind => Element.ValueKind;

    /// <summary>The parsed value, parsed on first use and kept, so every reader of a body (rules, dot-notation) shares one parse.</summary>
    internal JsonElement Element
    {
        get
        {
            if (_element is null)
            {
                using var document = JsonDocument.Parse(_utf8);
                _element = document.RootElement.Clone();
            }

            return _element.Value;
        }
    }

    /// <summary>The property names of a JSON object (empty for other values).</summary>
    public IEnumerable<string> PropertyNames =>
        Element.ValueKind == JsonValueKind.Object ? Element.EnumerateObject().Select(p => p.Name).ToArray() : [];

    /// <summary>The value as plain .NET values: RawJson for objects, object[] for arrays, string, long, double, bool or null.</summary>
    public object? ToValue() => Convert(Element);

    /// <inheritdoc />
    public override bool TryGetMember(GetMemberBinder binder, out object? result)
    {
        // A missing property reads as null, as on any PowerShell object.
        result = Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(binder.Name, out var value) ? Convert(value) : null;
        return true;
    }

    /// <inheritdoc />
    public override bool TryGetIndex(GetIndexBinder binder, object[] indexes, out object? result)
    {
        result = null;
        if (indexes.Length != 1)
        {
            return false;
        }

        var element = Element;
        switch (indexes[0])
        {
            case int i when element.ValueKind == JsonValueKind.Array:
                var length = element.GetArrayLength();
                var at = i < 0 ? length + i : i;
                result = at >= 0 && at < length ? Convert(element[at]) : null;
                return true;
            case string name when element.ValueKind == JsonValueKind.Object:
                result = element.TryGetProperty(name, out var value) ? Convert(value) : null;
                return true;
            default:
                return false;
        }
    }

    /// <inheritdoc />
    public override IEnumerable<string> GetDynamicMemberNames() => PropertyNames;

    /// <summary>The JSON text exactly as read.</summary>
    public override string ToString() => _text ??= Encoding.UTF8.GetString(_utf8.Span);

    /// <summary>A parsed value as plain .NET values (see <see cref="ToValue"/>).</summary>
    private protected static object? Convert(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new RawJsonObject(value),
        JsonValueKind.Array => value.EnumerateArray().Select(Convert).ToArray(),
        JsonValueKind.String => value.GetString(),
        // Boxed apart: in one conditional a whole number would widen to double.
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? (object)whole : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
