using System.Text;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Tests.Events.Filtering;

public class AuditEventFilterTests
{
    private const string Exec =
        """{"level":"Metadata","auditID":"a-1","stage":"ResponseStarted","verb":"create","user":{"username":"Alice@Example.com","groups":["devs","system:authenticated"]},"objectRef":{"resource":"pods","namespace":"team-a","name":"web-1","subresource":"exec"},"responseStatus":{"code":101},"requestReceivedTimestamp":"2026-01-05T08:00:00.000000Z"}""";

    private const string Lease =
        """{"level":"Request","auditID":"a-2","stage":"ResponseComplete","verb":"update","user":{"username":"system:node:n1","groups":["system:nodes"]},"objectRef":{"resource":"leases","namespace":"kube-node-lease","name":"n1","apiGroup":"coordination.k8s.io"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-01-05T09:00:00.000000Z"}""";

    private const string Health =
        """{"level":"Metadata","auditID":"a-3","stage":"ResponseComplete","verb":"get","requestURI":"/healthz","user":{"username":"system:anonymous"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-01-05T10:00:00.000000Z"}""";

    public static TheoryData<AuditEventFilter, string[]> Cases() => new()
    {
        { new AuditEventFilter(), ["a-1", "a-2", "a-3"] },
        { new AuditEventFilter { Verbs = ["create"] }, ["a-1"] },
        { new AuditEventFilter { Verbs = ["get", "update"] }, ["a-2", "a-3"] },
        { new AuditEventFilter { Users = ["alice@example.com"] }, ["a-1"] },
        { new AuditEventFilter { Users = ["system:*"] }, ["a-2", "a-3"] },
        { new AuditEventFilter { Groups = ["system:nodes"] }, ["a-2"] },
        { new AuditEventFilter { Groups = ["*authenticated"] }, ["a-1"] },
        { new AuditEventFilter { Resources = ["pods"] }, ["a-1"] },
        { new AuditEventFilter { Resources = ["pods/exec"] }, ["a-1"] },
        { new AuditEventFilter { Resources = ["*/exec"] }, ["a-1"] },
        { new AuditEventFilter { Resources = ["pods/log"] }, [] },
        { new AuditEventFilter { Resources = ["leases"] }, ["a-2"] },
        { new AuditEventFilter { Namespaces = ["kube-*"] }, ["a-2"] },
        { new AuditEventFilter { Namespaces = ["TEAM-A"] }, ["a-1"] },
        { new AuditEventFilter { Names = ["web-?"] }, ["a-1"] },
        { new AuditEventFilter { Levels = ["Request"] }, ["a-2"] },
        { new AuditEventFilter { Stages = ["ResponseStarted"] }, ["a-1"] },
        { new AuditEventFilter { StatusCodes = [403, 101] }, ["a-1", "a-3"] },
        { new AuditEventFilter { StatusCodes = [40] }, [] },
        { new AuditEventFilter { Since = DateTimeOffset.Parse("2026-01-05T09:00:00Z", CultureInfo.InvariantCulture) }, ["a-2", "a-3"] },
        { new AuditEventFilter { Until = DateTimeOffset.Parse("2026-01-05T09:00:00Z", CultureInfo.InvariantCulture) }, ["a-1", "a-2"] },
        { new AuditEventFilter { AuditIds = ["a-3"] }, ["a-3"] },
        { new AuditEventFilter { Verbs = ["create"], Namespaces = ["kube-node-lease"] }, [] },
        { new AuditEventFilter { Verbs = ["update"], Namespaces = ["kube-node-lease"], Users = ["system:node:n1"] }, ["a-2"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reader_WithFilter_KeepsExactlyTheMatchingEvents(AuditEventFilter filter, string[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', Exec, Lease, Health));
        using var reader = new JsonLinesReader(new MemoryStream(bytes), "f.log", filter: filter);

        var ids = reader.ReadRecords().Select(r => r.Event!.AuditId).ToArray();

        Assert.Equal(expected, ids);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prefilter_NeverRulesOutAMatchingLine(AuditEventFilter filter, string[] expected)
    {
        foreach (var line in new[] { Exec, Lease, Health })
        {
            var ev = ReaderHelpers.ParseOne(line);
            if (expected.Contains(ev.AuditId))
            {
                Assert.True(filter.MayMatch(Encoding.UTF8.GetBytes(line)), line);
            }
        }
    }

    [Fact]
    public void Prefilter_RulesOutLinesWithoutTheValue()
    {
        var filter = new AuditEventFilter { Verbs = ["create"] };

        Assert.False(filter.MayMatch(Encoding.UTF8.GetBytes(Lease)));
        // "create" inside another string is not the verb.
        Assert.False(filter.MayMatch("""{"verb":"get","requestURI":"/create"}"""u8));
    }

    [Fact]
    public void Prefilter_LetsEscapedValuesThroughToTheParser()
    {
        // \u0063 is 'c': the bytes hide the value, the parser sees it.
        var line = """{"verb":"\u0063reate","auditID":"x"}""";
        var filter = new AuditEventFilter { Verbs = ["create"] };

        Assert.True(filter.MayMatch(Encoding.UTF8.GetBytes(line)));
        var records = ReaderHelpers.ReadBytes(Encoding.UTF8.GetBytes(line));
        using var reader = new JsonLinesReader(new MemoryStream(Encoding.UTF8.GetBytes(line)), "f", filter: filter);
        Assert.Single(reader.ReadRecords());
        Assert.Single(records);
    }

    [Theory]
    [InlineData("""{"verb":"get","requestURI":"/api/v1/pods?watch=1\u0026limit=5"}""", false)]
    [InlineData("""{"verb":"get","userAgent":"a\\u0063reate","note":"\"quoted\""}""", false)]
    [InlineData("""{"verb":"\u0063reate"}""", true)]
    [InlineData("""{"verb":"cr\u0065ate"}""", true)]
    public void Prefilter_OnlyEscapesThatCouldSpellTheValue_ForceAParse(string line, bool mayMatch)
    {
        // Go escapes & as \u0026 in query strings: that cannot hide "create", so the line is ruled out.
        var filter = new AuditEventFilter { Verbs = ["create"] };

        Assert.Equal(mayMatch, filter.MayMatch(System.Text.Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void Filter_ValueThatJsonEscapes_GetsNoByteCheckButStillMatches()
    {
        // Go writes & as \u0026, so a byte search for "a&b" would miss; the filter must still find it.
        var line = """{"verb":"get","user":{"username":"a\u0026b"}}""";
        using var reader = new JsonLinesReader(new MemoryStream(Encoding.UTF8.GetBytes(line)), "f", filter: new AuditEventFilter { Users = ["a&b"] });

        Assert.Single(reader.ReadRecords());
    }

    [Theory]
    [InlineData("kube-*", "kube-system", true)]
    [InlineData("kube-*", "default", false)]
    [InlineData("web-?", "web-1", true)]
    [InlineData("web-[12]", "web-2", true)]
    [InlineData("web-[12]", "web-3", false)]
    [InlineData("a`*b", "a*b", true)]
    [InlineData("a`*b", "axb", false)]
    [InlineData("Alice", "alice", true)]
    [InlineData("x.y", "xzy", false)]
    public void Glob_MatchesLikePowerShellLike(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, new Glob(pattern).IsMatch(value));
    }
}
