using System.Text;
using System.Text.RegularExpressions;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Tests.Events.Filtering;

/// <summary>
/// One parse, five dialects: every dialect's text, run by an engine with that dialect's rules, keeps exactly the values the
/// file filter's <see cref="Glob"/> keeps. RE2 and LIKE also go through a real clickhouse-server in
/// SendKubeAuditEvent.ClickHouse.Tests.ps1; here the .NET stand-ins read RE2's <c>$</c> as end of text, as RE2 does.
/// </summary>
public sealed class WildcardDialectTests
{
    // pattern, value, whether PowerShell's -like keeps it
    public static TheoryData<string, string, bool> Cases() => new()
    {
        { "a.b", "a.b", true }, { "a.b", "axb", false },
        { "a+b", "a+b", true }, { "a+b", "aab", false },
        { "f(x)*", "f(x)yz", true }, { "f(x)*", "fx", false },
        { "a|b", "a|b", true }, { "a|b", "a", false },
        { "^x$", "^x$", true }, { "^x$", "x", false },
        { @"c:\temp\*", @"C:\Temp\file", true }, { @"c:\temp\*", "c:tempfile", false },
        { "x{2}*", "x{2}", true }, { "x{2}*", "xx", false },
        { "a#@&<>~\"%_b*", "a#@&<>~\"%_b!", true }, { "a#@&<>~\"%_b*", "a#@&<>~\"xyb", false },
        { "100%_x?", "100%_x1", true }, { "100%_x?", "100a_x1", false }, { "100%_x?", "1000x1", false },
        { "[ab]-[0-9]", "B-0", true }, { "[ab]-[0-9]", "c-1", false }, { "[ab]-[0-9]", "a-x", false },
        { "[a-c]*", "B1", true }, { "[a-c]*", "d", false },
        { "[-x]", "-", true }, { "[-x]", "X", true }, { "[-x]", "a", false },
        { "[x-]", "-", true }, { "[x-]", "w", false },
        { "[a-c-e]", "-", true }, { "[a-c-e]", "e", true }, { "[a-c-e]", "d", false },
        { "[^a]", "^", true }, { "[^a]", "b", false },
        { "[.]", ".", true }, { "[.]", "a", false },
        { @"[\]", @"\", true }, { @"[\]", "a", false },
        { "[[]", "[", true }, { "[*?]x", "*x", true }, { "[*?]x", "ax", false },
        { "[|(]*", "(a", true }, { "[|(]*", "a", false },
        { "a`*b", "a*b", true }, { "a`*b", "axb", false },
        { "a`?", "a?", true }, { "a`?", "ab", false },
        { "`[ab`]", "[ab]", true }, { "`[ab`]", "a", false },
        { "x`[*", "x[1", true }, { "x`[*", "x1", false },
        { "tail`", "tail`", true }, { "open[", "open[", true }, { "open[", "open", false },
        { "a?c", "a\nc", true }, { "web-?", "web-1", true }, { "web-?", "web-1\n", false },
        { "*", "", true }, { "?", "", false }, { "ÄÖ*", "äöx", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Glob_KeepsWhatLikeKeeps(string pattern, string value, bool expected) =>
        Assert.Equal(expected, new Glob(pattern).IsMatch(value));

    // RE2 and Lucene count code points; the stand-ins here do not, so the real server checks these for RE2 and LIKE.
    [Theory]
    [InlineData("?x", "\U0001F600x", true)]
    [InlineData("??x", "\U0001F600x", false)]
    [InlineData("a?", "a\U0001F600", true)]
    public void Glob_AnyOneTakesASurrogatePairAsOneCharacter(string pattern, string value, bool expected) =>
        Assert.Equal(expected, new Glob(pattern).IsMatch(value));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Re2_KeepsWhatGlobKeeps(string pattern, string value, bool expected)
    {
        var re2 = WildcardDialect.Re2.Render(Wildcard.Parse(pattern));
        Assert.StartsWith("(?is)^", re2);
        Assert.EndsWith("$", re2);
        // .NET refuses "\_", which RE2 reads as "_".
        Assert.Equal(expected, Regex.IsMatch(value, re2[..^1].Replace(@"\_", "_") + @"\z", RegexOptions.CultureInvariant));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LuceneRegexp_KeepsWhatGlobKeeps(string pattern, string value, bool expected)
    {
        var lucene = WildcardDialect.LuceneRegexp.Render(Wildcard.Parse(pattern));
        Assert.Equal(expected, Regex.IsMatch(value, "^(?:" + lucene + @")\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LikeAndWildcard_KeepWhatGlobKeeps_WhenThePatternHasNoSet(string pattern, string value, bool expected)
    {
        var wildcard = Wildcard.Parse(pattern);
        if (wildcard.HasSet)
        {
            Assert.Throws<ArgumentException>(() => WildcardDialect.SqlLike.Render(wildcard));
            Assert.Throws<ArgumentException>(() => WildcardDialect.ElasticsearchWildcard.Render(wildcard));
            return;
        }

        var like = WildcardDialect.SqlLike.Render(wildcard).ToLowerInvariant();
        Assert.Equal(expected, Regex.IsMatch(value.ToLowerInvariant(), Interpret(like, '%', '_'), RegexOptions.Singleline));
        var es = WildcardDialect.ElasticsearchWildcard.Render(wildcard);
        Assert.Equal(expected, Regex.IsMatch(value, Interpret(es, '*', '?'), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    [Theory]
    [InlineData("a.b+(c|d)^$", @"(?is)^a\.b\+\(c\|d\)\^\$$", @"a\.b\+\(c\|d\)\^\$")]
    [InlineData(@"[\^a-c-]x", @"(?is)^[\\\^a-c\-]x$", @"[\\\^a-c\-]x")]
    [InlineData("a`*b*?", @"(?is)^a\*b.*.$", @"a\*b.*.")]
    [InlineData("web_1#", @"(?is)^web\_1\#$", @"web_1\#")]
    public void Render_EscapesEachDialectsMetacharacters(string pattern, string re2, string lucene)
    {
        var wildcard = Wildcard.Parse(pattern);
        Assert.Equal(re2, WildcardDialect.Re2.Render(wildcard));
        Assert.Equal(lucene, WildcardDialect.LuceneRegexp.Render(wildcard));
    }

    [Theory]
    [InlineData("100%_done*", @"100\%\_done%", @"100%_done*")]
    [InlineData(@"back\slash?", @"back\\slash_", @"back\\slash?")]
    [InlineData("star`*lit`?*", @"star*lit?%", @"star\*lit\?*")]
    public void Render_LikeAndWildcard(string pattern, string like, string es)
    {
        var wildcard = Wildcard.Parse(pattern);
        Assert.Equal(like, WildcardDialect.SqlLike.Render(wildcard));
        Assert.Equal(es, WildcardDialect.ElasticsearchWildcard.Render(wildcard));
    }

    [Theory]
    [InlineData("a`*b", "a*b")]
    [InlineData("tail`", "tail`")]
    [InlineData("open[", "open[")]
    [InlineData("x]", "x]")]
    [InlineData("", "")]
    [InlineData("a*", null)]
    [InlineData("[a]", null)]
    public void Literal_IsTheTextWithEscapesResolved_WhenThereIsNoWildcard(string pattern, string? literal) =>
        Assert.Equal(literal, Wildcard.Parse(pattern).Literal);

    [Theory]
    [InlineData("pods/exec", "pods", "exec")]
    [InlineData("*/status", "*", "status")]
    [InlineData("po`*ds`/ex*", "po`*ds", "ex*")]
    [InlineData("[a/]x/y", "[a/]x", "y")]
    public void SplitAt_CutsAtTheFirstLiteralSlash(string pattern, string before, string after)
    {
        var (b, a) = Wildcard.Parse(pattern).SplitAt('/')!.Value;
        Assert.Equal(WildcardDialect.Re2.Render(Wildcard.Parse(before)), WildcardDialect.Re2.Render(b));
        Assert.Equal(WildcardDialect.Re2.Render(Wildcard.Parse(after)), WildcardDialect.Re2.Render(a));
    }

    [Fact]
    public void SplitAt_NoLiteralSlash_IsNull() => Assert.Null(Wildcard.Parse("pods[/]exec").SplitAt('/'));

    [Theory]
    [InlineData("x[]")]
    [InlineData("[z-a]")]
    public void Parse_EmptySetOrReversedRange_IsRefusedWithThePattern(string pattern)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Glob(pattern));
        Assert.Contains(pattern, ex.Message);
    }

    // A LIKE or Elasticsearch wildcard pattern (backslash escapes) as a .NET regex.
    private static string Interpret(string pattern, char anyRun, char anyOne)
    {
        var rx = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                rx.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                rx.Append(c == anyRun ? ".*" : c == anyOne ? "." : Regex.Escape(c.ToString()));
            }
        }

        return rx.Append(@"\z").ToString();
    }
}
