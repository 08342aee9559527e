using System.Text;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Formats;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

public class JsonDocumentTests
{
    [Fact]
    public void Array_ItemsKeepTheirLines_NonEventsAreReportedInPlace()
    {
        var text = """
            [
              {
                "verb": "get",
                "auditID": "x1"
              },
              {"verb": "list", "auditID": "x2"},
              42,
              {"kind": "Policy", "rules": []},
                {"verb": "watch", "auditID": "x3"}
            ]
            """;

        var records = Read(text);

        Assert.Equal(AuditLogFormat.JsonDocument, AuditSource.DetectFormat(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(5, records.Count);
        Assert.Equal(["x1", "x2", "x3"], records.Events().Select(e => e.AuditId));
        Assert.Equal([2L, 6L, 9L], records.Events().Select(e => e.Line));
        Assert.Equal((DiagnosticCodes.NotAnAuditEvent, 7L, 3L), (records[2].Error!.Code, records[2].Error!.Line, records[2].Error!.Column));
        Assert.Equal((DiagnosticCodes.NotAnAuditEvent, 8L), (records[3].Error!.Code, records[3].Error!.Line));
        Assert.Equal("{\n    \"verb\": \"get\",\n    \"auditID\": \"x1\"\n  }", records[0].Event!.ToJson()); // the item's own bytes
    }

    [Fact]
    public void EventList_ItemLines_AndABadItemDoesNotStopTheOthers()
    {
        var text = """
            {
              "kind": "EventList",
              "apiVersion": "audit.k8s.io/v1",
              "metadata": {},
              "items": [
                {"level": "Metadata", "auditID": "e1", "verb": "get"},
                {"level": "Metadata", "auditID": "e2", "verb": 5},
                {
                  "level": "Metadata",
                  "auditID": "e3",
                  "verb": "list"
                }
              ]
            }
            """;

        var records = Read(text);

        Assert.Equal(3, records.Count);
        Assert.Equal((6L, "e1"), (records[0].Event!.Line, records[0].Event!.AuditId));
        Assert.Null(records[0].Event!.ApiVersion);
        Assert.Equal(DiagnosticCodes.InvalidEventField, records[1].Error!.Code);
        Assert.Equal(7, records[1].Error!.Line);
        Assert.Equal((8L, "e3"), (records[2].Event!.Line, records[2].Event!.AuditId));
    }

    [Fact]
    public void CoreV1EventList_ClusterEventsNotAuditEvents_OneDiagnostic()
    {
        var text = """
            {
              "kind": "EventList",
              "apiVersion": "v1",
              "metadata": {"resourceVersion": "123"},
              "items": [
                {"metadata": {"name": "web-0.17a"}, "involvedObject": {"kind": "Pod", "name": "web-0"}, "reason": "Pulled", "message": "Container image pulled", "type": "Normal"}
              ]
            }
            """;

        var error = Assert.Single(Read(text)).Error!;

        Assert.Equal(DiagnosticCodes.NotAnAuditEvent, error.Code);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void ConcatenatedPrettyObjects_EachIsAnEvent()
    {
        var text = "{\n  \"verb\": \"get\"\n}\n\n{\n  \"verb\": \"list\"\n}{\"verb\":\"watch\"}\n   {\n\"verb\": \"create\"}\n";

        var events = Read(text).Events();

        Assert.Equal(["get", "list", "watch", "create"], events.Select(e => e.Verb));
        Assert.Equal([1L, 5L, 7L, 8L], events.Select(e => e.Line));
    }

    [Fact]
    public void TruncatedPrettyDocumentAtEnd_OneInvalidJson()
    {
        var records = Read("{\n  \"verb\": \"get\"\n}\n{\n  \"kind\": \"Event\",\n  \"verb\": \"li");

        Assert.Equal(2, records.Count);
        Assert.Equal("get", records[0].Event!.Verb);
        var error = records[1].Error!;
        Assert.Equal(DiagnosticCodes.InvalidJson, error.Code);
        Assert.Contains("starting on line 4", error.Message, StringComparison.Ordinal);
        Assert.Equal("test.log", error.File);
    }

    [Fact]
    public void TruncatedSinglePrettyEvent_OneInvalidJson()
    {
        var lines = File.ReadAllLines(Corpus("afcollins-single-event.json"));
        var records = Read(string.Join('\n', lines[..10]));

        var error = Assert.Single(records).Error!;
        Assert.Equal(DiagnosticCodes.InvalidJson, error.Code);
    }

    [Fact]
    public void GarbageBetweenDocuments_IsReported_AndReadingResumesAtTheNextDocument()
    {
        var text = "{\n  \"verb\": \"get\"\n}\nthis is not json\nneither is this\n{\n  \"verb\": \"list\"\n}\n";

        var records = Read(text);

        Assert.Equal(3, records.Count);
        Assert.Equal("get", records[0].Event!.Verb);
        Assert.Equal((DiagnosticCodes.InvalidJson, 4L, 2L), (records[1].Error!.Code, records[1].Error!.Line, records[1].Error!.Column));
        Assert.Equal(("list", 6L), (records[2].Event!.Verb, records[2].Event!.Line));
    }

    [Fact]
    public void PrettyObjectThatIsNotAnEvent_NotAnAuditEventWithFileAndLine()
    {
        var records = Read("\n\n{\n  \"apiVersion\": \"audit.k8s.io/v1\",\n  \"kind\": \"Policy\",\n  \"rules\": [{\"level\": \"None\"}]\n}\n", "policy.json");

        var error = Assert.Single(records).Error!;
        Assert.Equal(DiagnosticCodes.NotAnAuditEvent, error.Code);
        Assert.Equal(("policy.json", 3L), (error.File, error.Line));
    }

    [Fact]
    public void PrettyAzureRecords_EachRecordLine()
    {
        var text = $$"""
            {
              "records": [
                {
                  "time": "2024-01-01T00:00:00Z",
                  "category": "kube-audit",
                  "properties": {"log": {{Quote(EventJson("get", "r1") + "\n")}}, "stream": "stdout"}
                },
                {
                  "time": "2024-01-01T00:00:01Z",
                  "category": "kube-apiserver",
                  "properties": {"log": "I0101 00:00:01.000000 1 flags.go:64] FLAG: --v=2\n"}
                },
                {
                  "time": "2024-01-01T00:00:02Z",
                  "category": "kube-audit-admin",
                  "properties": {"log": {{Quote(EventJson("delete", "r3"))}}}
                }
              ]
            }
            """;

        var records = Read(text);

        Assert.Equal(3, records.Count);
        Assert.Equal(("r1", 3L), (records[0].Event!.AuditId, records[0].Event!.Line));
        Assert.Equal(EventJson("get", "r1"), records[0].Event!.ToJson());
        Assert.Equal(DiagnosticCodes.NotAnAuditEvent, records[1].Error!.Code);
        Assert.Contains("kube-apiserver", records[1].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(8, records[1].Error!.Line);
        Assert.Equal(("r3", 13L), (records[2].Event!.AuditId, records[2].Event!.Line));
    }

    [Fact]
    public void EmbeddedEventWithBadJson_ErrorNamesTheWrapper()
    {
        var line = $"{{\"category\":\"kube-audit\",\"properties\":{{\"log\":{Quote("{\"verb\":\"get\",")}}}}}";

        var error = Assert.Single(Read(line)).Error!;

        Assert.Equal(DiagnosticCodes.InvalidJson, error.Code);
        Assert.StartsWith("In the properties.log string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DocumentOverTheLimit_GivesDocumentTooLarge()
    {
        var text = "{\n  \"verb\": \"get\",\n  \"requestObject\": \"" + new string('x', 500) + "\"\n}\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var records = AuditSource.ReadCore(stream, "big.json", 1, maxDocumentBytes: 200).ToList();

        var error = Assert.Single(records).Error!;
        Assert.Equal(DiagnosticCodes.DocumentTooLarge, error.Code);
        Assert.Contains("jq -c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DocumentJustUnderTheLimit_IsRead()
    {
        var text = "{\n  \"verb\": \"get\"\n}";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var records = AuditSource.ReadCore(stream, "small.json", 1, maxDocumentBytes: text.Length).ToList();

        Assert.Equal("get", Assert.Single(records).Event!.Verb);
    }

    [Fact]
    public void OneLineEventListAndArray_InAJsonLinesFile()
    {
        var text = EventJson("get", "l1") + "\n" +
                   "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[" + EventJson("list", "l2") + "," + EventJson("watch", "l3") + "]}\n" +
                   "[" + EventJson("create", "l4") + "]\n";

        var events = Read(text).Events();

        Assert.Equal(["l1", "l2", "l3", "l4"], events.Select(e => e.AuditId));
        Assert.Equal([1L, 2L, 2L, 3L], events.Select(e => e.Line));
        Assert.Equal(EventJson("list", "l2"), events[1].ToJson());
    }
}
