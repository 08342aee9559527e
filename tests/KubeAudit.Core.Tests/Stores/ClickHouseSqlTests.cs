using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Stores.ClickHouse;

namespace KubeAudit.Core.Tests.Stores;

public sealed class ClickHouseSqlTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("o'brien", @"'o\'brien'")]
    [InlineData(@"a\b", @"'a\\b'")]
    [InlineData(@"\'; DROP TABLE t; --", @"'\\\'; DROP TABLE t; --'")]
    [InlineData("line\nbreak\ttab\0nul", @"'line\nbreak\ttab\0nul'")]
    [InlineData("bell\u0007", @"'bell\x07'")]
    public void Literal_EscapesEverythingThatCouldEndIt(string value, string expected) =>
        Assert.Equal(expected, ClickHouseSql.Literal(value));

    [Fact]
    public void Glob_LiteralIsCaseInsensitiveEquality_WildcardIsLike_SetIsRegex()
    {
        Assert.Equal("lowerUTF8(`user`) = 'admin'", ClickHouseSql.Glob("`user`", "Admin"));
        Assert.Equal(@"lowerUTF8(`user`) LIKE 'system:serviceaccount:%'", ClickHouseSql.Glob("`user`", "System:ServiceAccount:*"));
        Assert.Equal(@"match(`name`, '(?is)^web\\-[ab].*$')", ClickHouseSql.Glob("`name`", "web-[ab]*"));
        Assert.Equal(@"lowerUTF8(`name`) LIKE '100\\%\\_done%'", ClickHouseSql.Glob("`name`", "100%_Done*"));
        Assert.Equal("lowerUTF8(`name`) = 'a*b'", ClickHouseSql.Glob("`name`", "A`*b"));
    }

    [Fact]
    public void Where_EmptyFilterKeepsAll() => Assert.Equal("1", ClickHouseSql.Where(new AuditEventFilter()));

    [Fact]
    public void Where_AndsDimensions_OrsValues_AndQuotesEveryValue()
    {
        var where = ClickHouseSql.Where(new AuditEventFilter
        {
            Verbs = ["create", "del'ete"],
            StatusCodes = [403, 404],
            Namespaces = ["kube-*"],
            Resources = ["pods/exec", "secrets"],
        });
        Assert.Equal(
            @"`verb` IN ('create', 'del\'ete') AND `code` IN (403, 404) AND lowerUTF8(`namespace`) LIKE 'kube-%' AND "
            + "(lowerUTF8(`resourcePath`) = 'pods/exec' OR lowerUTF8(`resource`) = 'secrets')",
            where);
    }

    [Fact]
    public void Where_UsersWithImpersonation_GroupsThroughArrayExists()
    {
        var where = ClickHouseSql.Where(new AuditEventFilter { Users = ["a*"], Groups = ["system:masters"], IncludeImpersonated = true });
        Assert.Equal(
            "(lowerUTF8(`user`) LIKE 'a%' OR lowerUTF8(`impersonatedUser`) LIKE 'a%') AND "
            + "(arrayExists(g -> lowerUTF8(g) = 'system:masters', `groups`) OR arrayExists(g -> lowerUTF8(g) = 'system:masters', `impersonatedGroups`))",
            where);
    }

    [Fact]
    public void Where_TimeRangeIsInclusiveInMicroseconds_RoundedInward()
    {
        var since = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(5); // half a microsecond past
        var until = new DateTimeOffset(2024, 5, 1, 13, 0, 0, TimeSpan.FromHours(2)).AddTicks(5);
        var micros = (since.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        var untilMicros = (until.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        Assert.Equal($"`timeMicros` >= {micros + 1} AND `timeMicros` <= {untilMicros}", ClickHouseSql.Where(new AuditEventFilter { Since = since, Until = until }));
    }

    [Theory]
    [InlineData("events", null, "`events`")]
    [InlineData("audit.events", "`audit`", "`audit`.`events`")]
    public void ParseTarget_QuotesDatabaseAndTable(string target, string? database, string table) =>
        Assert.Equal((database, table), ClickHouseSchema.ParseTarget(target));

    [Theory]
    [InlineData("a`b")]
    [InlineData("x; DROP TABLE y")]
    [InlineData("a.b.c")]
    [InlineData("")]
    public void ParseTarget_RefusesAnythingButPlainNames(string target) =>
        Assert.Throws<ArgumentException>(() => ClickHouseSchema.ParseTarget(target));
}
