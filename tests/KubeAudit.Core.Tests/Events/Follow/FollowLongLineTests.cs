using System.Text;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Tests.Events.Follow;

public class FollowLongLineTests
{
    [Fact]
    public void Follow_50MbLineWrittenInPieces_IsReadWhole()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        var big = Encoding.UTF8.GetBytes(AuditLines.Padded(1, 50 * 1024 * 1024));
        using var follow = new FollowHarness(path, tail: -1);
        using (var writer = new LumberjackWriter(path, bufferSize: 64 * 1024))
        {
            writer.Write(AuditLines.Bytes(0));
            writer.Write(big);
            writer.Write(AuditLines.Bytes(2));
        }

        var records = follow.WaitFor(3);

        Assert.Equal([0, 1, 2], AuditLines.Ids(records));
        Assert.Equal(big.Length - 1, records[1].Event!.ToJson().Length);
    }

    [Fact]
    public void Follow_LineOverTheLimit_GivesOneErrorAndSkipsIt()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        var options = new AuditLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(20), MaxLineBytes = 1024 * 1024 };
        using var follow = new FollowHarness(path, tail: -1, options);
        using (var writer = new LumberjackWriter(path, bufferSize: 16 * 1024))
        {
            writer.Write(AuditLines.Bytes(0));
            writer.Write(Encoding.UTF8.GetBytes(AuditLines.Padded(1, 5 * 1024 * 1024)));
            writer.Write(AuditLines.Bytes(2));
        }

        var records = follow.WaitFor(3);

        Assert.Equal([0, -1, 2], AuditLines.Ids(records));
        Assert.Equal(DiagnosticCodes.LineTooLong, records[1].Error!.Code);
        Assert.Equal(2L, records[1].Error!.Line);
        Assert.Equal(3L, records[2].Event!.Line);
    }
}
