using System.Text;
using KubeAudit.Core.Events.Formats;

namespace KubeAudit.Core.Tests.Events.Formats;

public class GoUnquoteTests
{
    [Theory]
    [InlineData("\"\"", "")]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"back\\\\slash\"", "back\\slash")]
    [InlineData("\"\\a\\b\\f\\n\\r\\t\\v\"", "\a\b\f\n\r\t\v")]
    [InlineData("\"\\x41\\x7e\"", "A~")]
    [InlineData("\"\\101\\060\"", "A0")]
    [InlineData("\"\\u00e9t\\u00E9\"", "été")]
    [InlineData("\"\\U0001F600\"", "\U0001F600")]
    [InlineData("\"jöhn 日本\"", "jöhn 日本")] // printable non-ASCII is kept raw by strconv.Quote
    [InlineData("\"\\xff\"", "\uFFFD")] // a lone invalid byte; JSON can only carry it as U+FFFD
    [InlineData("\"\\xc3\\xa9\"", "é")] // bytes that together are valid UTF-8
    public void TryUnquote_ValidGoStrings(string quoted, string expected)
    {
        Assert.True(GoUnquote.TryUnquote(Encoding.UTF8.GetBytes(quoted), out var value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("plain")] // no quotes
    [InlineData("\"open")]
    [InlineData("\"bad \\q escape\"")]
    [InlineData("\"\\'\"")] // \' only in rune literals
    [InlineData("\"\\x4\"")]
    [InlineData("\"\\xZZ\"")]
    [InlineData("\"\\400\"")] // octal above 255
    [InlineData("\"\\12\"")] // octal needs three digits
    [InlineData("\"\\ud800\"")] // surrogate
    [InlineData("\"\\U00110000\"")] // beyond Unicode
    [InlineData("\"\\UFFFFFFFF\"")]
    [InlineData("\"inner\"quote\"")]
    [InlineData("\"trailing\\\"")]
    public void TryUnquote_InvalidGoStrings_AreRejected(string quoted)
    {
        Assert.False(GoUnquote.TryUnquote(Encoding.UTF8.GetBytes(quoted), out _, out _));
    }

    [Fact]
    public void TryUnquote_BadEscape_ReportsItsOffset()
    {
        Assert.False(GoUnquote.TryUnquote("\"abc\\qdef\""u8, out _, out var offset));
        Assert.Equal(4, offset); // the backslash
    }

    [Fact]
    public void FindEnd_SkipsEscapedQuotes()
    {
        var text = "x=\"a\\\"b\\\\\" y"u8;
        Assert.Equal(10, GoUnquote.FindEnd(text, 2));
        Assert.Equal(-1, GoUnquote.FindEnd("\"never"u8, 0));
    }
}
