using System.Buffers.Text;

namespace KubeAudit.LogGenerator;

/// <summary>
/// A small compact JSON writer whose bytes match Go's encoding/json, as kube-apiserver writes
/// them: HTML-safe escaping (\u003c \u003e \u0026), U+2028/U+2029 escaped, lowercase hex,
/// \b \f \n \r \t short forms, everything else non-ASCII as raw UTF-8. Utf8JsonWriter's
/// encoders cannot reproduce this exactly (they escape '"' as \u0022, '+' and more).
/// Keys are written in the order the caller gives; Go sorts map keys, so callers pass them sorted.
/// </summary>
internal sealed class GoJsonWriter
{
    private static readonly bool[] s_safe = BuildSafeTable();
    private const string Hex = "0123456789abcdef";

    private byte[] _buf = new byte[1 << 21];
    private int _len;
    private readonly bool[] _first = new bool[64]; // per depth: no member written yet
    private int _depth;
    private bool _afterName;

    public int Length => _len;

    public void WriteTo(Stream s)
    {
        s.Write(_buf, 0, _len);
        _len = 0;
    }

    private static bool[] BuildSafeTable()
    {
        var t = new bool[128];
        for (var c = 0x20; c < 128; c++)
        {
            t[c] = true;
        }

        t['"'] = t['\\'] = t['<'] = t['>'] = t['&'] = false;
        return t;
    }

    private void Ensure(int n)
    {
        if (_len + n > _buf.Length)
        {
            Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + n));
        }
    }

    private void Put(char c)
    {
        Ensure(1);
        _buf[_len++] = (byte)c;
    }

    public void NewLine() => Put('\n');

    private void BeforeValue()
    {
        if (_afterName) { _afterName = false; return; }
        if (_depth > 0)
        {
            if (!_first[_depth])
            {
                Put(',');
            }

            _first[_depth] = false;
        }
    }

    public void Name(string name)
    {
        if (!_first[_depth])
        {
            Put(',');
        }

        _first[_depth] = false;
        Quoted(name);
        Put(':');
        _afterName = true;
    }

    public void StartObject() { BeforeValue(); Put('{'); _first[++_depth] = true; }
    public void EndObject() { _depth--; Put('}'); }
    public void StartArray() { BeforeValue(); Put('['); _first[++_depth] = true; }
    public void EndArray() { _depth--; Put(']'); }

    public void String(string value) { BeforeValue(); Quoted(value); }

    public void Number(long value)
    {
        BeforeValue();
        Ensure(24);
        Utf8Formatter.TryFormat(value, _buf.AsSpan(_len), out var n);
        _len += n;
    }

    public void Bool(bool value) { BeforeValue(); Ascii(value ? "true" : "false"); }
    public void Null() { BeforeValue(); Ascii("null"); }

    /// <summary>A constant JSON fragment, already compact and Go-escaped (ASCII, no &lt; &gt; &amp;).</summary>
    public void Raw(string json) { BeforeValue(); Ascii(json); }
    public void RawProp(string name, string json) { Name(name); Raw(json); }

    // Property shorthands keep the body tables readable.
    public void Str(string name, string value) { Name(name); String(value); }
    public void Num(string name, long value) { Name(name); Number(value); }
    public void Flag(string name, bool value) { Name(name); Bool(value); }
    public void NullProp(string name) { Name(name); Null(); }
    public void Obj(string name) { Name(name); StartObject(); }
    public void Arr(string name) { Name(name); StartArray(); }
    public void EmptyObj(string name) { Name(name); StartObject(); EndObject(); }

    public void StrArr(string name, params string[] values)
    {
        Arr(name);
        foreach (var v in values)
        {
            String(v);
        }

        EndArray();
    }

    /// <summary>metav1.MicroTime: UTC, exactly six fraction digits.</summary>
    public void MicroTime(string name, long unixMicros) { Name(name); MicroTime(unixMicros); }

    public void MicroTime(long unixMicros)
    {
        BeforeValue();
        var dt = GoFormat.ToDateTime(unixMicros);
        Ensure(30);
        Put('"');
        Date(dt);
        Put('.');
        Digits(unixMicros % 1_000_000, 6);
        Put('Z');
        Put('"');
    }

    /// <summary>metav1.Time: RFC 3339 in UTC, whole seconds.</summary>
    public void Time(string name, long unixMicros)
    {
        Name(name);
        BeforeValue();
        Ensure(24);
        Put('"');
        Date(GoFormat.ToDateTime(unixMicros));
        Put('Z');
        Put('"');
    }

    private void Date(DateTime dt)
    {
        Digits(dt.Year, 4); Put('-'); Digits(dt.Month, 2); Put('-'); Digits(dt.Day, 2);
        Put('T'); Digits(dt.Hour, 2); Put(':'); Digits(dt.Minute, 2); Put(':'); Digits(dt.Second, 2);
    }

    private void Digits(long v, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            _buf[_len + i] = (byte)('0' + (int)(v % 10));
            v /= 10;
        }
        _len += width;
    }

    private void Ascii(string s)
    {
        Ensure(s.Length);
        foreach (var c in s)
        {
            _buf[_len++] = (byte)c;
        }
    }

    private void Quoted(string s)
    {
        Ensure(s.Length * 6 + 2);
        var b = _buf;
        var n = _len;
        b[n++] = (byte)'"';
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c < 0x80)
            {
                if (s_safe[c]) { b[n++] = (byte)c; continue; }
                b[n++] = (byte)'\\';
                switch (c)
                {
                    case '"': case '\\': b[n++] = (byte)c; break;
                    case '\b': b[n++] = (byte)'b'; break;
                    case '\f': b[n++] = (byte)'f'; break;
                    case '\n': b[n++] = (byte)'n'; break;
                    case '\r': b[n++] = (byte)'r'; break;
                    case '\t': b[n++] = (byte)'t'; break;
                    default: n = UnicodeEscape(b, n, c); break;
                }
            }
            else if (c < 0x800)
            {
                b[n++] = (byte)(0xC0 | (c >> 6));
                b[n++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, s[++i]);
                b[n++] = (byte)(0xF0 | (cp >> 18));
                b[n++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                b[n++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                b[n++] = (byte)(0x80 | (cp & 0x3F));
            }
            else if (char.IsSurrogate(c))
            {
                b[n++] = (byte)'\\';
                n = UnicodeEscape(b, n, '\uFFFD'); // Go writes invalid UTF-8 as \ufffd
            }
            else if (c == '\u2028' || c == '\u2029')
            {
                b[n++] = (byte)'\\';
                n = UnicodeEscape(b, n, c);
            }
            else
            {
                b[n++] = (byte)(0xE0 | (c >> 12));
                b[n++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                b[n++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        b[n++] = (byte)'"';
        _len = n;
    }

    private static int UnicodeEscape(byte[] b, int n, char c)
    {
        b[n++] = (byte)'u';
        b[n++] = (byte)Hex[c >> 12];
        b[n++] = (byte)Hex[(c >> 8) & 0xF];
        b[n++] = (byte)Hex[(c >> 4) & 0xF];
        b[n++] = (byte)Hex[c & 0xF];
        return n;
    }
}
