using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace KubeAudit.Core.Manifests;

/// <summary>Writes a string scalar in the quoting style of its neighbours.</summary>
internal static partial class ScalarText
{
    public static string Render(string value, ScalarStyle style, bool flow)
    {
        switch (style)
        {
            case ScalarStyle.SingleQuoted:
                return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
            case ScalarStyle.DoubleQuoted:
                return DoubleQuoted(value);
            default:
                return IsSafePlain(value, flow) ? value : DoubleQuoted(value);
        }
    }

    public static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    // A plain scalar that reads back as the same string (not a bool, number or null, no indicators).
    private static bool IsSafePlain(string value, bool flow)
    {
        if (value.Length == 0 || value != value.Trim() || value.Any(char.IsControl) || NonString().IsMatch(value))
        {
            return false;
        }

        var first = value[0];
        if ("!&*|>'\"%@`#,[]{}?:".Contains(first) || (first == '-' && (value.Length == 1 || value[1] == ' ')))
        {
            return false;
        }

        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal) || value.EndsWith(':'))
        {
            return false;
        }

        return !flow || value.IndexOfAny([',', '[', ']', '{', '}']) < 0;
    }

    [GeneratedRegex(@"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\.?[0-9][0-9_.eE+-]*|0x[0-9a-fA-F]+|\.inf|\.Inf|\.nan|\.NaN))$")]
    private static partial Regex NonString();
}
