using System.Text.Json;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Formats;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

public class LegacyTextTests
{
    // The upstream example (apiserver backend_test.go TestLogEventsLegacy), with a real timestamp.
    private const string UpstreamLine = """
        2024-05-01T12:30:45.123456789Z AUDIT: id="0f9c1a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b" stage="RequestReceived" ip="127.0.0.1" method="get" user="admin" groups="\"system:masters\",\"system:authenticated\"" as="<self>" asgroups="<lookup>" user-agent="kube-admin" namespace="default" uri="/apis/rbac.authorization.k8s.io/v1/roles" response="200"
        """;

    [Fact]
    public void UpstreamLine_MapsEveryField()
    {
        var ev = Single(UpstreamLine);

        Assert.Equal("0f9c1a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", ev.AuditId);
        Assert.Equal("RequestReceived", ev.Stage);
        Assert.Equal(["127.0.0.1"], ev.SourceIPs);
        Assert.Equal("get", ev.Verb);
        Assert.Equal("admin", ev.Username);
        Assert.Equal(["system:masters", "system:authenticated"], ev.User.Groups);
        Assert.Null(ev.ImpersonatedUser);
        Assert.Equal("kube-admin", ev.UserAgent);
        Assert.Equal("default", ev.Namespace);
        Assert.Null(ev.Resource); // only the namespace is known
        Assert.Equal("/apis/rbac.authorization.k8s.io/v1/roles", ev.RequestUri);
        Assert.Equal(200, ev.Code);
        Assert.Null(ev.Level); // not in the line
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 30, 45, TimeSpan.Zero).AddTicks(1234560), ev.RequestReceivedTimestamp);
        Assert.Equal(1, ev.Line);
        Assert.Equal("test.log", ev.File);
    }

    [Fact]
    public void UpstreamLine_ToJson_IsV1EventJsonThatReadsBackTheSame()
    {
        var ev = Single(UpstreamLine);

        using var doc = JsonDocument.Parse(ev.ToJson());
        var root = doc.RootElement;
        Assert.Equal("Event", root.GetProperty("kind").GetString());
        Assert.Equal("audit.k8s.io/v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("2024-05-01T12:30:45.123456Z", root.GetProperty("requestReceivedTimestamp").GetString());
        Assert.Equal("2024-05-01T12:30:45.123456Z", root.GetProperty("stageTimestamp").GetString());
        Assert.Equal(200, root.GetProperty("responseStatus").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("responseStatus").GetProperty("metadata").ValueKind);
        Assert.Equal("default", root.GetProperty("objectRef").GetProperty("namespace").GetString());
        Assert.Equal("namespace", Assert.Single(root.GetProperty("objectRef").EnumerateObject()).Name);

        var again = Single(ev.ToJson());
        Assert.Equal((ev.AuditId, ev.Stage, ev.Verb, ev.Username, ev.Namespace, ev.Code, ev.RequestReceivedTimestamp, ev.UserAgent), (again.AuditId, again.Stage, again.Verb, again.Username, again.Namespace, again.Code, again.RequestReceivedTimestamp, again.UserAgent));
        Assert.Equal(ev.User.Groups, again.User.Groups);
    }

    [Fact]
    public void UpstreamEmptyLine_PlaceholdersBecomeAbsentFields()
    {
        var ev = Single("""
            0001-01-01T00:00:00Z AUDIT: id="9b1b4c0e-0000-4000-8000-000000000000" stage="" ip="<unknown>" method="" user="<none>" groups="<none>" as="<self>" asgroups="<lookup>" user-agent="" namespace="<none>" uri="" response="<deferred>"
            """);

        Assert.Equal("", ev.Stage);
        Assert.Empty(ev.SourceIPs);
        Assert.Equal("", ev.Verb);
        Assert.Null(ev.Username);
        Assert.Empty(ev.User.Groups);
        Assert.Null(ev.ImpersonatedUser);
        Assert.Null(ev.UserAgent);
        Assert.Null(ev.ObjectRef);
        Assert.Null(ev.ResponseStatus);
        Assert.Equal(DateTimeOffset.MinValue, ev.RequestReceivedTimestamp);
        Assert.DoesNotContain("<", ev.ToJson());
    }

    [Fact]
    public void Impersonation_AsAndAsGroups()
    {
        var lines = """
            2024-05-01T12:00:00Z AUDIT: id="1" stage="ResponseComplete" ip="10.0.0.1" method="list" user="admin" groups="\"system:masters\"" as="bob" asgroups="\"devs\",\"system:authenticated\"" user-agent="kubectl" namespace="team" uri="/api/v1/namespaces/team/pods" response="200"
            2024-05-01T12:00:01Z AUDIT: id="2" stage="ResponseComplete" ip="10.0.0.1" method="list" user="admin" groups="\"system:masters\"" as="carol" asgroups="<lookup>" user-agent="kubectl" namespace="team" uri="/api/v1/namespaces/team/pods" response="403"
            """;

        var events = Read(lines).Events();

        Assert.Equal("bob", events[0].ImpersonatedUser!.Username);
        Assert.Equal(["devs", "system:authenticated"], events[0].ImpersonatedUser!.Groups);
        Assert.Equal("carol", events[1].ImpersonatedUser!.Username);
        Assert.Empty(events[1].ImpersonatedUser!.Groups); // <lookup>: the server looked them up, the line does not say
        Assert.Equal(403, events[1].Code);
    }

    [Fact]
    public void Quoting_EscapedQuotesUnicodeHexOctalAndRawNonAscii()
    {
        // user-agent with \" and \\, a user with raw UTF-8, groups whose names hold a comma, a quote and \u escapes,
        // a URI with \x and octal escapes (bytes Go could not print), and \U for a rune outside the BMP.
        var ev = Single("""
            2024-05-01T12:00:00.5+02:00 AUDIT: id="q" stage="ResponseComplete" ip="::1" method="get" user="jöhn.dœ@example.com" groups="\"a,b\",\"q\\\"x\",\"caf\\u00e9\",\"\\U0001f600\"" as="<self>" asgroups="<lookup>" user-agent="my \"agent\" C:\\tools\tv1" namespace="ns" uri="/api/v1/x?q=\x41\101\xff" response="200"
            """);

        Assert.Equal("jöhn.dœ@example.com", ev.Username);
        Assert.Equal(["a,b", "q\"x", "café", "\U0001F600"], ev.User.Groups);
        Assert.Equal("my \"agent\" C:\\tools\tv1", ev.UserAgent);
        Assert.Equal("/api/v1/x?q=AA\uFFFD", ev.RequestUri);
        Assert.Equal(["::1"], ev.SourceIPs);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, 500, TimeSpan.Zero), ev.RequestReceivedTimestamp);
        using var doc = JsonDocument.Parse(ev.ToJson()); // whatever the line held, the JSON is valid
        Assert.Equal("jöhn.dœ@example.com", doc.RootElement.GetProperty("user").GetProperty("username").GetString());
    }

    [Fact]
    public void Pre122Line_WithoutUserAgent_IsRead()
    {
        var ev = Single("""
            2017-09-05T06:08:19.885328047-04:00 AUDIT: id="c2" stage="ResponseComplete" ip="172.16.116.128" method="list" user="kubecfg" groups="\"system:masters\"" as="<self>" asgroups="<lookup>" namespace="default" uri="/api" response="200"
            """);

        Assert.Null(ev.UserAgent);
        Assert.Equal(200, ev.Code);
    }

    [Fact]
    public void GlogPrefixBeforeTheTimestamp_IsIgnored()
    {
        var ev = Single("""
            I0907 13:03:57.400333    1234 audit.go:125] 2016-09-07T13:03:57.400333046Z AUDIT: id="g1" ip="127.0.0.1" method="GET" user="admin" as="<self>" namespace="default" uri="/api/v1/pods" response="200"
            """);

        Assert.Equal("g1", ev.AuditId);
        Assert.Equal(200, ev.Code);
    }

    [Fact]
    public void BasicAudit_InterleavedRequestsAndResponses_ArePairedById_InRequestOrder()
    {
        var records = Read("""
            2016-09-07T13:03:57.1Z AUDIT: id="A" ip="127.0.0.1" method="GET" user="admin" as="<self>" namespace="default" uri="/api/v1/namespaces/default/pods"
            2016-09-07T13:03:57.2Z AUDIT: id="B" ip="127.0.0.1" method="DELETE" user="admin" as="bob" namespace="default" uri="/api/v1/namespaces/default/pods/x"
            2016-09-07T13:03:57.3Z AUDIT: id="B" response="404"
            2016-09-07T13:03:57.4Z AUDIT: id="A" response="200"
            2016-09-07T13:03:57.5Z AUDIT: id="C" ip="127.0.0.1" method="GET" user="admin" as="<self>" namespace="<none>" uri="/version"
            """);

        Assert.All(records, r => Assert.Null(r.Error));
        var events = records.Events();
        Assert.Equal(["A", "B", "C"], events.Select(e => e.AuditId));
        Assert.Equal([1L, 2L, 5L], events.Select(e => e.Line));
        Assert.Equal([200, 404, (int?)null], events.Select(e => e.Code));
        Assert.Equal("bob", events[1].ImpersonatedUser!.Username);
        Assert.Equal(new DateTimeOffset(2016, 9, 7, 13, 3, 57, 400, TimeSpan.Zero), events[0].StageTimestamp);
        Assert.Null(events[2].ObjectRef);
        Assert.Null(events[2].StageTimestamp); // no response line came
    }

    [Fact]
    public void BasicAudit_ResponseWithoutRequest_IsReportedNotDropped()
    {
        var records = Read("""
            2016-09-07T13:03:57.1Z AUDIT: id="lost" response="200"
            2016-09-07T13:03:57.2Z AUDIT: id="X" ip="127.0.0.1" method="GET" user="admin" as="<self>" namespace="default" uri="/api"
            """);

        Assert.Equal(2, records.Count);
        var warning = records[0].Error!;
        Assert.Equal(DiagnosticCodes.UnmatchedLegacyResponse, warning.Code);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(1, warning.Line);
        Assert.Contains("id=\"lost\"", warning.Message, StringComparison.Ordinal);
        Assert.Equal("X", records[1].Event!.AuditId);
    }

    [Fact]
    public void BasicAudit_ResponseFarBeyondTheWindow_RequestComesOutAloneAndResponseIsReported()
    {
        var lines = new List<string> { """2016-09-07T13:03:57Z AUDIT: id="slow" ip="127.0.0.1" method="GET" user="admin" as="<self>" namespace="default" uri="/watch" """ };
        for (var i = 0; i < LegacyEventAssembler.Window + 5; i++)
        {
            lines.Add($"""2016-09-07T13:03:58Z AUDIT: id="f{i}" stage="ResponseComplete" ip="1.2.3.4" method="get" user="u" groups="<none>" as="<self>" asgroups="<lookup>" namespace="<none>" uri="/x" response="200" """);
        }

        lines.Add("""2016-09-07T13:04:00Z AUDIT: id="slow" response="200" """);

        var records = Read(string.Join('\n', lines));

        Assert.Equal(LegacyEventAssembler.Window + 7, records.Count);
        Assert.Equal("slow", records[0].Event!.AuditId); // still first: order is kept
        Assert.Null(records[0].Event!.Code);
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), records.Select(r => r.Event?.Line ?? r.Error!.Line));
        Assert.Equal(DiagnosticCodes.UnmatchedLegacyResponse, records[^1].Error!.Code);
    }

    [Theory]
    [InlineData("""2024-05-01T12:00:00Z AUDIT: id="x" user="a\qb" response="200" """, "user", 43)]
    [InlineData("""2024-05-01T12:00:00Z AUDIT: id="x" user="open""", "no closing quote", 41)]
    [InlineData("""yesterday AUDIT: id="x" response="200" """, "RFC 3339", 1)]
    [InlineData("""2024-05-01T12:00:00Z AUDIT: id="x" method="get" response="teapot" """, "teapot", 1)]
    [InlineData("""2024-05-01T12:00:00Z AUDIT: id="x" user="u" groups="not quoted" response="200" """, "groups", 1)]
    [InlineData("""2024-05-01T12:00:00Z AUDIT: id="x" "oops" """, "key=", 36)]
    public void MalformedLines_GiveInvalidLegacyLine_AndTheNextLineStillComesOut(string bad, string messagePart, int column)
    {
        var records = Read(bad + "\n" + UpstreamLine);

        Assert.Equal(2, records.Count);
        var error = records[0].Error!;
        Assert.Equal(DiagnosticCodes.InvalidLegacyLine, error.Code);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.Equal(column, error.Column);
        Assert.NotNull(records[1].Event);
    }

    [Fact]
    public void DetectFormat_LegacyText()
    {
        Assert.Equal(AuditLogFormat.LegacyText, AuditSource.DetectFormat(System.Text.Encoding.UTF8.GetBytes(UpstreamLine)));
    }
}
