using System.Text;

namespace KubeAudit.Core.Events.Filtering;

/// <summary>What one piece of a parsed wildcard pattern stands for.</summary>
public enum WildcardTokenKind
{
    /// <summary>These characters, compared case-insensitively.</summary>
    Literal,

    /// <summary><c>*</c>: any run of characters, the empty one too.</summary>
    AnyRun,

    /// <summary><c>?</c>: any one character.</summary>
    AnyOne,

    /// <summary><c>[abc]</c>, <c>[a-z]</c>: one character of the set.</summary>
    Set,
}

/// <summary>One piece of a parsed pattern: literal text, <c>*</c>, <c>?</c>, or a set of character ranges.</summary>
public sealed record WildcardToken(WildcardTokenKind Kind, string Text, IReadOnlyList<(char From, char To)> Ranges)
{
    internal static readonly WildcardToken AnyRun = new(WildcardTokenKind.AnyRun, string.Empty, []);
    internal static readonly WildcardToken AnyOne = new(WildcardTokenKind.AnyOne, string.Empty, []);
}

/// <summary>
/// A PowerShell-style wildcard pattern parsed once into tokens, so the file filter (<see cref="Glob"/>) and each store's
/// query language (<see cref="WildcardDialect"/>) read the same pattern the same way: <c>*</c> any run, <c>?</c> any one
/// character, <c>[abc]</c> and <c>[a-z]</c> one of a set (a <c>-</c> first or last in the set is itself), a backtick makes
/// the next character literal (a trailing one is itself), and a <c>[</c> without a closing <c>]</c> is itself.
/// Inside a set every character but the range dash is literal, backtick included.
/// </summary>
public sealed class Wildcard
{
    private Wildcard(string pattern, IReadOnlyList<WildcardToken> tokens)
    {
        Pattern = pattern;
        Tokens = tokens;
        Literal = tokens.Count switch
        {
            0 => string.Empty,
            1 when tokens[0].Kind == WildcardTokenKind.Literal => tokens[0].Text,
            _ => null,
        };
        HasSet = tokens.Any(t => t.Kind == WildcardTokenKind.Set);
    }

    /// <summary>The pattern as given (for a part cut by <see cref="SplitAt"/>, the whole pattern it was cut from).</summary>
    public string Pattern { get; }

    /// <summary>The tokens in order; adjacent literal characters form one token.</summary>
    public IReadOnlyList<WildcardToken> Tokens { get; }

    /// <summary>The text the pattern stands for when it has no wildcard (escapes resolved); otherwise null.</summary>
    public string? Literal { get; }

    /// <summary>Whether the pattern holds a <c>[...]</c> set (which LIKE and Elasticsearch's wildcard query cannot say).</summary>
    public bool HasSet { get; }

    /// <summary>
    /// The pattern cut at its first literal <paramref name="separator"/> (escaped or not; one inside a set does not
    /// count) into what comes before and after it; null when it has none.
    /// </summary>
    public (Wildcard Before, Wildcard After)? SplitAt(char separator)
    {
        for (var i = 0; i < Tokens.Count; i++)
        {
            if (Tokens[i].Kind == WildcardTokenKind.Literal && Tokens[i].Text.IndexOf(separator) is var at and >= 0)
            {
                var text = Tokens[i].Text;
                var before = Tokens.Take(i).Append(new WildcardToken(WildcardTokenKind.Literal, text[..at], []));
                var after = Tokens.Skip(i + 1).Prepend(new WildcardToken(WildcardTokenKind.Literal, text[(at + 1)..], []));
                return (Part(before), Part(after));
            }
        }

        return null;
    }

    /// <summary>Parses <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">An empty set <c>[]</c>, or a range whose ends are in reverse order.</exception>
    public static Wildcard Parse(string pattern)
    {
        var tokens = new List<WildcardToken>();
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length > 0)
            {
                tokens.Add(new WildcardToken(WildcardTokenKind.Literal, literal.ToString(), []));
                literal.Clear();
            }
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    literal.Append(pattern[++i]);
                    break;
                case '*':
                    Flush();
                    if (tokens.Count == 0 || tokens[^1].Kind != WildcardTokenKind.AnyRun)
                    {
                        tokens.Add(WildcardToken.AnyRun);
                    }

                    break;
                case '?':
                    Flush();
                    tokens.Add(WildcardToken.AnyOne);
                    break;
                case '[' when pattern.IndexOf(']', i + 1) is var close and > 0:
                    Flush();
                    tokens.Add(new WildcardToken(WildcardTokenKind.Set, string.Empty, Ranges(pattern, pattern[(i + 1)..close])));
                    i = close;
                    break;
                default:
                    literal.Append(c);
                    break;
            }
        }

        Flush();
        return new Wildcard(pattern, tokens);
    }

    private Wildcard Part(IEnumerable<WildcardToken> tokens) =>
        new(Pattern, tokens.Where(t => t.Kind != WildcardTokenKind.Literal || t.Text.Length > 0).ToList());

    // "a-z" is a range; a dash with nothing on one side is the dash itself.
    private static List<(char From, char To)> Ranges(string pattern, string members)
    {
        if (members.Length == 0)
        {
            throw new ArgumentException($"The wildcard pattern '{pattern}' has an empty set '[]'.", nameof(pattern));
        }

        var ranges = new List<(char, char)>();
        for (var i = 0; i < members.Length; i++)
        {
            if (i + 2 < members.Length && members[i + 1] == '-')
            {
                if (members[i] > members[i + 2])
                {
                    throw new ArgumentException($"The wildcard pattern '{pattern}' has the range '{members[i]}-{members[i + 2]}' in reverse order.", nameof(pattern));
                }

                ranges.Add((members[i], members[i + 2]));
                i += 2;
            }
            else
            {
                ranges.Add((members[i], members[i]));
            }
        }

        return ranges;
    }
}
