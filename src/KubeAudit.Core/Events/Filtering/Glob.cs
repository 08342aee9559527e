using System.Text.RegularExpressions;

namespace KubeAudit.Core.Events.Filtering;

/// <summary>
/// A PowerShell-style wildcard pattern (<c>*</c>, <c>?</c>, <c>[abc]</c>, backtick escapes), matched
/// case-insensitively like <c>-like</c>. Patterns without wildcards compare as plain strings.
/// </summary>
public sealed class Glob
{
    private readonly Regex? _regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    public Glob(string pattern)
    {
        Pattern = pattern;
        Literal = TryLiteral(pattern);
        if (Literal is null)
        {
            _regex = new Regex(ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
    }

    /// <summary>The pattern as given.</summary>
    public string Pattern { get; }

    /// <summary>The text the pattern stands for when it has no wildcard; otherwise null.</summary>
    public string? Literal { get; }

    /// <summary>Whether <paramref name="value"/> matches; null never does.</summary>
    public bool IsMatch(string? value) =>
        value is not null && (Literal is not null ? string.Equals(value, Literal, StringComparison.OrdinalIgnoreCase) : _regex!.IsMatch(value));

    private static string? TryLiteral(string pattern)
    {
        if (pattern.IndexOfAny(['*', '?', '[', ']']) < 0 && !pattern.Contains('`'))
        {
            return pattern;
        }

        return null;
    }

    private static string ToRegex(string pattern)
    {
        var rx = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    rx.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    rx.Append(".*");
                    break;
                case '?':
                    rx.Append('.');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        rx.Append(@"\[");
                        break;
                    }

                    var set = pattern[(i + 1)..close].Replace(@"\", @"\\").Replace("^", @"\^");
                    rx.Append('[').Append(set).Append(']');
                    i = close;
                    break;
                default:
                    rx.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return rx.Append('$').ToString();
    }
}
