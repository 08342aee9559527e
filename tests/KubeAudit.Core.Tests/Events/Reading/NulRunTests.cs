using System.Text;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Reading;
using KubeAudit.Core.Tests.Events.Follow;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Reading;

/// <summary>
/// A crash with preallocated blocks leaves a run of NUL bytes, and the writer carries on right after it
/// on the same line: the run is skipped with a warning and the event read.
/// </summary>
public sealed class NulRunTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(0)] // the file starts with the run
    [InlineData(1)]
    [InlineData(2)]
    public void Read_EventAfterANulRun_WarnsAndReadsTheEvent(int before)
    {
        var path = _folder.File("audit.log");
        File.WriteAllBytes(path, Log(before, 4096));

        var records = SegmentedLogReader.Read([path]).ToList();

        AssertWarnedThenRead(records, before, 4096, path);
    }

    [Fact]
    public void Follow_EventAfterANulRun_WarnsAndReadsTheEvent()
    {
        var path = _folder.File("audit.log");
        File.WriteAllBytes(path, []);
        using var follow = new FollowHarness(path, tail: 0);
        using (var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            file.Write(Log(1, 100));
        }

        AssertWarnedThenRead(follow.WaitFor(4), 1, 100, path);
    }

    private static byte[] Log(int before, int nuls)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < before; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(EventJson(auditId: "id-" + i) + "\n"));
        }

        bytes.AddRange(new byte[nuls]);
        bytes.AddRange(Encoding.UTF8.GetBytes(EventJson(auditId: "id-" + before) + "\n" + EventJson(auditId: "id-" + (before + 1)) + "\n"));
        return [.. bytes];
    }

    private static void AssertWarnedThenRead(List<AuditLogRecord> records, int before, int nuls, string path)
    {
        Assert.Equal(Enumerable.Range(0, before + 2).Select(i => "id-" + i), records.Events().Select(e => e.AuditId));
        var warning = Assert.Single(records, r => r.Error is not null).Error!;
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(path, warning.File);
        Assert.Equal(before + 1, warning.Line);
        Assert.Contains(nuls + " NUL bytes", warning.Message);
        var index = records.FindIndex(r => r.Error is not null);
        Assert.Equal("id-" + before, records[index + 1].Event!.AuditId);
        Assert.Equal(before + 1, records[index + 1].Event!.Line);
    }
}
