using KubeAudit.Core.Diagnostics;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>
/// A lone surrogate escape (<c>"\ud800"</c>) is well-formed JSON that System.Text.Json refuses to turn
/// into a string, with an exception the event parser does not catch. Reading must still go on.
/// </summary>
public class InvalidTextTests
{
    private const string LoneSurrogateEvent = "{\"kind\":\"Event\",\"verb\":\"get\",\"user\":{\"username\":\"\\ud800\"}}";

    [Fact]
    public void JsonLines_LoneSurrogateLine_IsReported_AndTheLinesAfterItStillComeOut()
    {
        var text = EventJson("get", "before") + "\n" + LoneSurrogateEvent + "\n\n" + EventJson("list", "after1") + "\n" + EventJson("watch", "after2");

        var records = Read(text);

        Assert.Equal(["before", DiagnosticCodes.InvalidJson, "after1", "after2"], records.Select(r => r.Event?.AuditId ?? r.Error!.Code));
        Assert.Equal([1L, 2L, 4L, 5L], records.Select(r => r.Event?.Line ?? r.Error!.Line));
    }

    [Fact]
    public void JsonLines_LoneSurrogateOnTheFirstLine()
    {
        var records = Read(LoneSurrogateEvent + "\n" + EventJson("list", "after"));

        Assert.Equal([DiagnosticCodes.InvalidJson, "after"], records.Select(r => r.Event?.AuditId ?? r.Error!.Code));
    }

    [Fact]
    public void Wrappers_LoneSurrogateInsideOrAround_AreReported()
    {
        var records = Read(
            "{\"category\":\"kube-audit\",\"properties\":{\"log\":\"\\ud800\"}}\n" +
            "{\"message\":" + Quote(LoneSurrogateEvent) + "}\n" +
            "{\"protoPayload\":{\"@type\":\"\\udc00\"}}\n" +
            "[" + LoneSurrogateEvent + "]\n");

        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.Equal(DiagnosticCodes.InvalidJson, r.Error!.Code));
        Assert.Equal([1L, 2L, 3L, 4L], records.Select(r => r.Error!.Line));
    }

    [Fact]
    public void PrettyArray_LoneSurrogateItem_OthersStillComeOut()
    {
        var records = Read("[\n" + EventJson("get", "i1") + ",\n" + LoneSurrogateEvent + ",\n" + EventJson("list", "i3") + "\n]\n");

        Assert.Equal(["i1", DiagnosticCodes.InvalidJson, "i3"], records.Select(r => r.Event?.AuditId ?? r.Error!.Code));
        Assert.Equal([2L, 3L, 4L], records.Select(r => r.Event?.Line ?? r.Error!.Line));
    }

    [Fact]
    public void ReadText_LoneSurrogateLine()
    {
        var records = Core.Events.Formats.AuditSource.ReadText([LoneSurrogateEvent, EventJson("get", "ok")], null).ToList();

        Assert.Equal([DiagnosticCodes.InvalidJson, "ok"], records.Select(r => r.Event?.AuditId ?? r.Error!.Code));
    }
}
