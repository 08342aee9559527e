using System.Text;
using System.Text.RegularExpressions;

namespace KubeAudit.Core.Events.Filtering;

/// <summary>
/// How one target writes a parsed <see cref="Wildcard"/>: the file filter's .NET regex, ClickHouse's RE2 and LIKE, and
/// Elasticsearch's Lucene regexp and wildcard query. All read the same tokens, so a pattern cannot mean one thing in a file
/// and another in a store; each dialect differs only in its anchors, its two wildcards and what it must escape.
/// Case is the caller's: the .NET regex is compiled ignoring case, RE2 carries <c>(?i)</c>, LIKE compares lowered text,
/// Elasticsearch queries set <c>case_insensitive</c>.
/// </summary>
public abstract class WildcardDialect
{
    /// <summary>
    /// A .NET regular expression anchored at both ends (<c>\z</c>: a value's final newline is not skipped), where <c>?</c>
    /// takes a surrogate pair as one character.
    /// </summary>
    public static WildcardDialect DotNetRegex { get; } = new DotNet();

    /// <summary>RE2 (ClickHouse <c>match()</c>), anchored, case-insensitive and with <c>.</c> matching newlines.</summary>
    public static WildcardDialect Re2 { get; } = new Re2Syntax();

    /// <summary>A Lucene regular expression for Elasticsearch <c>regexp</c> with <c>flags: NONE</c> (Lucene anchors it).</summary>
    public static WildcardDialect LuceneRegexp { get; } = new Lucene();

    /// <summary>An Elasticsearch <c>wildcard</c> query value: <c>*</c> <c>?</c>, backslash escapes; no sets.</summary>
    public static WildcardDialect ElasticsearchWildcard { get; } = new WithoutSets("*", "?", "*?\\");

    /// <summary>A SQL LIKE pattern (ClickHouse): <c>%</c> <c>_</c>, backslash escapes; no sets.</summary>
    public static WildcardDialect SqlLike { get; } = new WithoutSets("%", "_", "%_\\");

    /// <summary>Whether the dialect can say a <c>[...]</c> set.</summary>
    public virtual bool HasSets => true;

    /// <summary>Text before the pattern.</summary>
    protected virtual string Start => string.Empty;

    /// <summary>Text after the pattern.</summary>
    protected virtual string End => string.Empty;

    /// <summary>What <c>*</c> becomes.</summary>
    protected virtual string AnyRun => ".*";

    /// <summary>What <c>?</c> becomes.</summary>
    protected virtual string AnyOne => ".";

    /// <summary><paramref name="pattern"/> in this dialect.</summary>
    /// <exception cref="ArgumentException">The pattern holds a set and the dialect has none.</exception>
    public string Render(Wildcard pattern)
    {
        var sb = new StringBuilder(Start, pattern.Pattern.Length * 2 + 8);
        foreach (var token in pattern.Tokens)
        {
            switch (token.Kind)
            {
                case WildcardTokenKind.Literal:
                    foreach (var c in token.Text)
                    {
                        AppendLiteral(sb, c);
                    }

                    break;
                case WildcardTokenKind.AnyRun:
                    sb.Append(AnyRun);
                    break;
                case WildcardTokenKind.AnyOne:
                    sb.Append(AnyOne);
                    break;
                default:
                    if (!HasSets)
                    {
                        throw new ArgumentException($"The wildcard pattern '{pattern.Pattern}' has a set, which {GetType().Name} cannot say.", nameof(pattern));
                    }

                    sb.Append('[');
                    foreach (var (from, to) in token.Ranges)
                    {
                        AppendSetMember(sb, from);
                        if (to != from)
                        {
                            sb.Append('-');
                            AppendSetMember(sb, to);
                        }
                    }

                    sb.Append(']');
                    break;
            }
        }

        return sb.Append(End).ToString();
    }

    /// <summary>Appends <paramref name="c"/> so that it stands for itself outside a set.</summary>
    protected abstract void AppendLiteral(StringBuilder sb, char c);

    /// <summary>Appends <paramref name="c"/> so that it stands for itself inside a set (a dash, caret or bracket too).</summary>
    protected virtual void AppendSetMember(StringBuilder sb, char c) => AppendLiteral(sb, c);

    private static void Escaped(StringBuilder sb, char c, bool escape) => (escape ? sb.Append('\\') : sb).Append(c);

    private sealed class DotNet : WildcardDialect
    {
        protected override string Start => "^";

        protected override string End => @"\z";

        // One character as RE2 and Lucene count it: a surrogate pair (an emoji) is one, not two (atomic: never half of one).
        protected override string AnyOne => @"(?>[\uD800-\uDBFF][\uDC00-\uDFFF]|.)";

        protected override void AppendLiteral(StringBuilder sb, char c) => sb.Append(Regex.Escape(c.ToString()));

        // .NET rejects a backslash before a word character it does not know ("\_"), so only these are escaped.
        protected override void AppendSetMember(StringBuilder sb, char c) => Escaped(sb, c, c is '\\' or ']' or '[' or '^' or '-');
    }

    private sealed class Re2Syntax : WildcardDialect
    {
        protected override string Start => "(?is)^";

        protected override string End => "$";

        // RE2 takes any ASCII character but a letter or digit as itself after a backslash.
        protected override void AppendLiteral(StringBuilder sb, char c) => Escaped(sb, c, c < 128 && !char.IsAsciiLetterOrDigit(c));
    }

    private sealed class Lucene : WildcardDialect
    {
        private const string Special = ".?+*|{}[]()\"\\#@&<>~^$";

        protected override void AppendLiteral(StringBuilder sb, char c) => Escaped(sb, c, Special.Contains(c));

        protected override void AppendSetMember(StringBuilder sb, char c) => Escaped(sb, c, c == '-' || Special.Contains(c));
    }

    // Two wildcards and backslash escapes: LIKE and Elasticsearch's wildcard query.
    private sealed class WithoutSets(string anyRun, string anyOne, string escaped) : WildcardDialect
    {
        public override bool HasSets => false;

        protected override string AnyRun => anyRun;

        protected override string AnyOne => anyOne;

        protected override void AppendLiteral(StringBuilder sb, char c) => Escaped(sb, c, escaped.Contains(c));
    }
}
