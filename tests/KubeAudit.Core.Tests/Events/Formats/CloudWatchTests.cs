using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Formats;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>EKS control-plane audit logs as CloudWatch Logs exports give them (hand-made fixtures: the corpus has none).</summary>
public class CloudWatchTests
{
    private const string Stream = "kube-apiserver-audit-0123456789abcdef";

    private static string WrappedLine(string message, long timestamp = 1693582622744) =>
        $"{{\"logStreamName\":\"{Stream}\",\"timestamp\":{timestamp},\"message\":{Quote(message)},\"ingestionTime\":1693582623000,\"eventId\":\"3780\"}}";

    [Fact]
    public void FilterLogEventsLines_MessageIsTheEvent()
    {
        var text = WrappedLine(EventJson("get", "a1")) + "\n" + WrappedLine(EventJson("list", "a2"));

        var records = Read(text);

        Assert.All(records, r => Assert.Null(r.Error));
        var events = records.Events();
        Assert.Equal(["a1", "a2"], events.Select(e => e.AuditId));
        Assert.Equal([1L, 2L], events.Select(e => e.Line));
        Assert.Equal("alice", events[0].Username);
        Assert.Equal(EventJson("get", "a1"), events[0].ToJson()); // the message, unescaped
        Assert.Equal(AuditLogFormat.WrappedJsonLines, AuditSource.DetectFormat(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void TruncatedMessage_GivesTruncatedEvent_NotInvalidJson()
    {
        var cut = EventJson("create", "cut-1")[..120] + "[Truncated...]";
        var text = WrappedLine(EventJson("get", "a1")) + "\n" + WrappedLine(cut) + "\n" + WrappedLine(EventJson("list", "a3"));

        var records = Read(text);

        Assert.Equal(3, records.Count);
        var error = records[1].Error!;
        Assert.Equal(DiagnosticCodes.TruncatedEvent, error.Code);
        Assert.Equal(2, error.Line);
        Assert.Contains("auditID cut-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("CloudWatch", error.Message, StringComparison.Ordinal);
        Assert.Contains(Stream, error.Message, StringComparison.Ordinal);
        Assert.Equal("a3", records[2].Event!.AuditId);
    }

    [Fact]
    public void TruncatedMessage_AfterPlainEventLines_IsStillRecognised()
    {
        // First line plain: the file is read as JSON lines, and the wrapped lines are looked at again.
        var text = EventJson("get", "a1") + "\n" + WrappedLine(EventJson("create", "cut-2")[..90] + "[Truncated...]") + "\n" + EventJson("list", "a3");

        var records = Read(text);

        Assert.Equal(DiagnosticCodes.TruncatedEvent, records[1].Error!.Code);
        Assert.Equal(["a1", "a3"], records.Events().Select(e => e.AuditId));
    }

    [Fact]
    public void OtherLogStreamsOfTheGroup_AreNotAuditEvents()
    {
        var text = WrappedLine("time=\"2023-09-01T15:37:02Z\" level=info msg=\"access granted\"") + "\n" + WrappedLine(EventJson());

        var records = Read(text);

        Assert.Equal(DiagnosticCodes.NotAnAuditEvent, records[0].Error!.Code);
        Assert.Contains("CloudWatch message", records[0].Error!.Message, StringComparison.Ordinal);
        Assert.NotNull(records[1].Event);
    }

    [Fact]
    public void S3ExportText_TimestampThenEvent()
    {
        var text = "2023-09-01T15:37:02.744Z " + EventJson("get", "t1") + "\n" +
                   "2023-09-01T15:37:03.001Z " + EventJson("watch", "t2") + "\n" +
                   "2023-09-01T15:37:04.000Z " + EventJson("create", "t3")[..80] + "[Truncated...]\n";

        var records = Read(text);

        Assert.Equal(AuditLogFormat.TimestampedJsonLines, AuditSource.DetectFormat(System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.Equal(["t1", "t2"], records.Events().Select(e => e.AuditId));
        Assert.Equal(EventJson("get", "t1"), records[0].Event!.ToJson());
        Assert.Equal(DiagnosticCodes.TruncatedEvent, records[2].Error!.Code);
        Assert.Equal(3, records[2].Error!.Line);
        Assert.Equal(26, records[2].Error!.Column); // where the JSON starts, after the timestamp
    }

    [Fact]
    public void TruncatedPlainJsonLine_GivesTruncatedEvent()
    {
        var records = Read(EventJson("get", "a1") + "\n" + EventJson("patch", "cut-3")[..100] + "[Truncated...]");

        Assert.Equal(DiagnosticCodes.TruncatedEvent, records[1].Error!.Code);
        Assert.Equal(2, records[1].Error!.Line);
    }

    [Fact]
    public void SubscriptionDataMessage_LogEventsArray()
    {
        var line = $"{{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"/aws/eks/prod/cluster\",\"logStream\":\"{Stream}\"," +
                   $"\"subscriptionFilters\":[\"audit\"],\"logEvents\":[{{\"id\":\"1\",\"timestamp\":1693582622744,\"message\":{Quote(EventJson("get", "s1"))}}}," +
                   $"{{\"id\":\"2\",\"timestamp\":1693582622745,\"message\":{Quote(EventJson("list", "s2"))}}}]}}";

        var events = Read(line + "\n" + line).Events();

        Assert.Equal(["s1", "s2", "s1", "s2"], events.Select(e => e.AuditId));
        Assert.Equal([1L, 1L, 2L, 2L], events.Select(e => e.Line));
    }

    [Fact]
    public void FilterLogEventsOutput_PrettyDocument_EventsArray()
    {
        var text = $$"""
            {
                "events": [
                    {
                        "logStreamName": "{{Stream}}",
                        "timestamp": 1693582622744,
                        "message": {{Quote(EventJson("get", "p1"))}},
                        "ingestionTime": 1693582623000,
                        "eventId": "1"
                    },
                    {
                        "logStreamName": "{{Stream}}",
                        "timestamp": 1693582622745,
                        "message": {{Quote(EventJson("delete", "p2"))}},
                        "ingestionTime": 1693582623000,
                        "eventId": "2"
                    }
                ],
                "searchedLogStreams": []
            }
            """;

        var events = Read(text).Events();

        Assert.Equal(["p1", "p2"], events.Select(e => e.AuditId));
        Assert.Equal([3L, 10L], events.Select(e => e.Line));
    }
}
