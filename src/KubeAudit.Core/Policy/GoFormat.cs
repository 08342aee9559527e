using System.Globalization;
using System.Text;

namespace KubeAudit.Core.Policy;

/// <summary>
/// Renders values and field errors the way apimachinery does (<c>field.Error</c>), so our messages
/// are the API server's text: strings Go-quoted (<c>%q</c>), other values as Go's JSON.
/// </summary>
internal static class GoFormat
{
    /// <summary><c>&lt;field&gt;: Invalid value: &lt;value&gt;: &lt;detail&gt;</c> for a string value.</summary>
    public static string Invalid(string path, string value, string detail) => $"{path}: Invalid value: {Quote(value)}: {detail}";

    /// <summary><c>&lt;field&gt;: Invalid value: &lt;json&gt;: &lt;detail&gt;</c> for a list value.</summary>
    public static string Invalid(string path, IEnumerable<string> value, string detail) => $"{path}: Invalid value: {Json(value)}: {detail}";

    /// <summary><c>&lt;field&gt;: Required value</c>.</summary>
    public static string Required(string path) => $"{path}: Required value";

    /// <summary><c>&lt;field&gt;: Unsupported value: "x": supported values: "a", "b"</c>.</summary>
    public static string NotSupported(string path, string value, IEnumerable<string> supported) =>
        $"{path}: Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(Quote))}";

    /// <summary>Go's <c>strconv.Quote</c>: printable runes kept (Go counts only U+0020 as a printable space), the rest escaped.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                    {
                        sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if ((rune.Value != ' ' && Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                    {
                        sb.Append(rune.Value > 0xffff ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(rune.ToString());
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>Go's <c>json.Marshal</c> of a string list (with its HTML-safe escaping of &lt; &gt; &amp;).</summary>
    public static string Json(IEnumerable<string> values) => "[" + string.Join(",", values.Select(JsonString)) + "]";

    private static string JsonString(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('"').ToString();
    }
}
