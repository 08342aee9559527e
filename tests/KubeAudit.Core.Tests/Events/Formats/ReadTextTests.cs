using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Formats;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>Text from the pipeline: a line, a document or many lines per string.</summary>
public class ReadTextTests
{
    private static List<Core.Events.AuditLogRecord> ReadText(params string[] chunks) => AuditSource.ReadText(chunks, "pipeline").ToList();

    [Fact]
    public void PrettyEventOneLinePerString_IsPutBackTogether()
    {
        // What Get-Content gives for a pretty-printed file.
        var path = Corpus("openshift-clo-raw_audit_kubernetes.json");
        var lines = File.ReadAllLines(path);

        var ev = Assert.Single(ReadText(lines)).Event!;

        Assert.Equal("ba8076fa-6f45-4392-bceb-7de0e9eaafe5", ev.AuditId);
        Assert.Equal("kubecontrollermanagers", ev.Resource);
        Assert.Equal(1, ev.Line);
        Assert.Equal("pipeline", ev.File);
        Assert.Equal(string.Join('\n', lines).Trim(), ev.ToJson());
    }

    [Fact]
    public void WholeFileInOneString_JsonLines()
    {
        var text = File.ReadAllText(Corpus("audit2rbac-demo.log"));

        var records = ReadText(text);

        Assert.Equal(37, records.Events().Count);
        Assert.Equal(Enumerable.Range(1, 37).Select(i => (long)i), records.Events().Select(e => e.Line));
    }

    [Fact]
    public void WholePrettyEventListInOneString()
    {
        var ev = Assert.Single(ReadText(File.ReadAllText(Corpus("k8s-website-docs", "k8s-website-docs-2017b-v1beta1-EventList.json")))).Event!;

        Assert.Equal(("24f30caf-d7d4-45d5-b7bd-e7af300d7886", 4L), (ev.AuditId, ev.Line));
    }

    [Fact]
    public void MixedStrings_LinesCountAcrossThem()
    {
        var records = ReadText(
            EventJson("get", "t1"),                         // line 1
            "",                                             // line 2
            "{",                                            // lines 3-6: a pretty event in four strings
            "  \"verb\": \"list\",",
            "  \"auditID\": \"t2\"",
            "}",
            EventJson("watch", "t3") + "\n" + EventJson("create", "t4") + "\n", // lines 7-8 in one string
            """2017-09-05T06:08:19Z AUDIT: id="t5" stage="ResponseComplete" ip="1.2.3.4" method="get" user="u" groups="<none>" as="<self>" asgroups="<lookup>" namespace="<none>" uri="/x" response="200" """, // line 9
            "{\n  \"verb\": \"delete\",\n  \"auditID\": \"t6\"\n}"); // lines 10-13

        Assert.All(records, r => Assert.Null(r.Error));
        Assert.Equal(["t1", "t2", "t3", "t4", "t5", "t6"], records.Events().Select(e => e.AuditId));
        Assert.Equal([1L, 3L, 7L, 8L, 9L, 10L], records.Events().Select(e => e.Line));
    }

    [Fact]
    public void PrettyDocumentSplitAcrossMultiLineStrings()
    {
        var text = File.ReadAllText(Corpus("afcollins-single-event.json"));
        var cut = text.IndexOf("\"user\"", StringComparison.Ordinal);

        var ev = Assert.Single(ReadText(text[..cut], text[cut..])).Event!;

        Assert.Equal("532b1164-8b26-4b49-95f2-907424a80cac", ev.AuditId);
    }

    [Fact]
    public void PrettyArrayWithObjectsInColumnOne_OneLinePerString()
    {
        var records = ReadText("[", "{", "\"verb\": \"get\"", "},", "{\"verb\": \"list\"}", "]");

        Assert.Equal(["get", "list"], records.Events().Select(e => e.Verb));
        Assert.Equal([2L, 5L], records.Events().Select(e => e.Line));
    }

    [Fact]
    public void CutPrettyDocument_FollowedByACompactEvent_ReportsTheCutOneAndGoesOn()
    {
        var records = ReadText("{", "  \"verb\": \"get\",", EventJson("list", "after"), EventJson("watch", "after2"));

        Assert.Equal(3, records.Count);
        Assert.Equal((DiagnosticCodes.InvalidJson, "pipeline"), (records[0].Error!.Code, records[0].Error!.File));
        Assert.Equal(("after", 3L), (records[1].Event!.AuditId, records[1].Event!.Line));
        Assert.Equal(("after2", 4L), (records[2].Event!.AuditId, records[2].Event!.Line));
    }

    [Fact]
    public void CutIndentedPrettyDocument_FollowedByACompactEvent()
    {
        var records = ReadText(" {", "   \"verb\": \"get\",", EventJson("list", "after"));

        Assert.Equal([DiagnosticCodes.InvalidJson, "after"], records.Select(r => r.Event?.AuditId ?? r.Error!.Code));
    }

    [Fact]
    public void BrokenCompactLine_DoesNotSwallowTheRest()
    {
        var records = ReadText("{\"verb\":", EventJson("get", "ok1"), EventJson("list", "ok2"));

        Assert.Equal(DiagnosticCodes.InvalidJson, records[0].Error!.Code);
        Assert.Equal(1, records[0].Error!.Line);
        Assert.Equal(["ok1", "ok2"], records.Events().Select(e => e.AuditId));
        Assert.Equal([2L, 3L], records.Events().Select(e => e.Line));
    }

    [Fact]
    public void UnfinishedDocumentAtTheEnd_OneInvalidJson()
    {
        var records = ReadText(EventJson("get", "ok"), "{", "  \"verb\": \"list\",");

        Assert.Equal(2, records.Count);
        Assert.Equal(DiagnosticCodes.InvalidJson, records[1].Error!.Code);
    }

    [Fact]
    public void BasicAuditPairs_AcrossStrings()
    {
        var records = ReadText(
            """2016-09-07T13:03:57.1Z AUDIT: id="P" ip="127.0.0.1" method="GET" user="admin" as="<self>" namespace="default" uri="/api" """,
            EventJson("get", "between"),
            """2016-09-07T13:03:57.3Z AUDIT: id="P" response="200" """);

        Assert.Equal(["P", "between"], records.Events().Select(e => e.AuditId));
        Assert.Equal(200, records[0].Event!.Code);
    }

    [Fact]
    public void BomAndCrLf_InStrings()
    {
        var records = ReadText("\uFEFF" + EventJson("get", "bom") + "\r\n", "\uFEFF{\r\n  \"verb\": \"list\"\r\n}\r\n");

        Assert.Equal(["get", "list"], records.Events().Select(e => e.Verb));
        Assert.Equal([1L, 2L], records.Events().Select(e => e.Line));
    }

    [Fact]
    public void NullAndEmptyStrings_AreBlankLines()
    {
        var records = AuditSource.ReadText([null!, "", "   ", EventJson()], null).ToList();

        Assert.Equal(4, Assert.Single(records).Event!.Line);
    }
}
