using System.Text;

namespace KubeAudit;

/// <summary>
/// A JSON value kept as the UTF-8 bytes it was read from, so bodies cost nothing until asked for
/// and can be written back byte for byte.
/// </summary>
public sealed class RawJson
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private string? _text;

    /// <summary>Wraps UTF-8 JSON bytes; the caller must not change them afterwards.</summary>
    public RawJson(ReadOnlyMemory<byte> utf8) => _utf8 = utf8;

    /// <summary>Wraps JSON text.</summary>
    public RawJson(string json)
    {
        _text = json;
        _utf8 = Encoding.UTF8.GetBytes(json);
    }

    /// <summary>The JSON exactly as read, in UTF-8.</summary>
    public ReadOnlyMemory<byte> Utf8 => _utf8;

    /// <summary>Length in bytes.</summary>
    public int Length => _utf8.Length;

    /// <summary>The JSON text exactly as read.</summary>
    public override string ToString() => _text ??= Encoding.UTF8.GetString(_utf8.Span);
}
