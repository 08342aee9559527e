using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Tests.Stores;

public sealed class FollowResumeTests
{
    private static string Line(int i) =>
        $$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"id-{{{i}}}","stage":"ResponseComplete","verb":"get","user":{"username":"u"}}""" + "\n";

    private static void Append(string path, int from, int to) => File.AppendAllText(path, string.Concat(Enumerable.Range(from, to - from).Select(Line)));

    private static List<(AuditLogRecord Record, FollowPosition? Position)> Take(string path, FollowPosition? resume, int count)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var follower = new AuditLogFollower(new AuditLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(10) });
        return follower.FollowWithPositions(path, -1, resume, cancel.Token).Take(count).ToList();
    }

    [Fact]
    public void Positions_AreTheOffsetAfterEachLine()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        Append(path, 0, 3);
        var taken = Take(path, null, 3);
        Assert.Equal([Line(0).Length, Line(0).Length + Line(1).Length, new FileInfo(path).Length], taken.Select(t => t.Position!.Offset));
        Assert.Equal([1L, 2L, 3L], taken.Select(t => t.Position!.Line));
    }

    [Fact]
    public void Resume_InTheSameFile_StartsRightAfterTheCheckpoint()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        Append(path, 0, 5);
        var checkpoint = Take(path, null, 2)[1].Position;
        var next = Take(path, checkpoint, 3);
        Assert.Equal(["id-2", "id-3", "id-4"], next.Select(t => t.Record.Event!.AuditId));
        Assert.Equal([3L, 4L, 5L], next.Select(t => t.Record.Event!.Line));
    }

    [Fact]
    public void Resume_AfterRotation_ReadsTheRestOfTheBackupThenTheNewFile()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        Append(path, 0, 4);
        var checkpoint = Take(path, null, 2)[1].Position;

        // lumberjack: the file is renamed to its backup name, a new one is created.
        File.Move(path, dir.File("audit-2024-01-01T00-00-00.000.log"));
        Append(path, 4, 6);
        var next = Take(path, checkpoint, 4);
        Assert.Equal(["id-2", "id-3", "id-4", "id-5"], next.Select(t => t.Record.Event!.AuditId));
        Assert.All(next.Take(2), t => Assert.Null(t.Position)); // from the backup: the checkpoint does not move into it
        Assert.NotNull(next[3].Position);
    }

    [Fact]
    public void Resume_WhenTheCheckpointsFileIsGone_WarnsAndReadsTheCurrentFileWhole()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        Append(path, 0, 3);
        var checkpoint = Take(path, null, 2)[1].Position;
        File.Delete(path);
        Append(path, 10, 12);
        var next = Take(path, checkpoint, 3);
        Assert.Contains("checkpoint", next[0].Record.Error!.Message);
        Assert.Equal(["id-10", "id-11"], next.Skip(1).Select(t => t.Record.Event!.AuditId));
    }
}
