using System.Text.RegularExpressions;

namespace KubeAudit.Core.Events.Filtering;

/// <summary>
/// A PowerShell-style wildcard pattern (<c>*</c>, <c>?</c>, <c>[abc]</c>, backtick escapes; see <see cref="Wildcard"/>),
/// matched case-insensitively like <c>-like</c>. Patterns without wildcards compare as plain strings.
/// </summary>
public sealed class Glob
{
    private readonly Regex? _regex;
    private readonly string? _text;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern has an empty set or a reversed range.</exception>
    public Glob(string pattern)
    {
        Pattern = pattern;
        Literal = pattern.IndexOfAny(['*', '?', '[', ']', '`']) < 0 ? pattern : null;
        var parsed = Wildcard.Parse(pattern);
        _text = parsed.Literal;
        if (_text is null)
        {
            _regex = new Regex(WildcardDialect.DotNetRegex.Render(parsed), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
    }

    /// <summary>The pattern as given.</summary>
    public string Pattern { get; }

    /// <summary>
    /// The pattern when it holds no wildcard or escape character at all, so its text is what a matching value holds
    /// (what a byte prefilter may look for); otherwise null.
    /// </summary>
    public string? Literal { get; }

    /// <summary>Whether <paramref name="value"/> matches; null never does.</summary>
    public bool IsMatch(string? value) =>
        value is not null && (_text is not null ? string.Equals(value, _text, StringComparison.OrdinalIgnoreCase) : _regex!.IsMatch(value));
}
