using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Tests.Events.Follow;

public class AuditLogFollowerTests
{
    [Fact]
    public void Follow_FastBufferedWriter_GivesEveryEventOnceInOrder()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        const int Count = 20_000;

        // A 4 KB write buffer flushes in the middle of lines all the time: partial lines galore.
        using (var writer = new LumberjackWriter(path, bufferSize: 4096))
        {
            using var follow = new FollowHarness(path, tail: -1);
            for (var i = 0; i < Count; i++)
            {
                writer.Write(AuditLines.Bytes(i));
            }

            writer.Flush();
            var records = follow.WaitFor(Count);

            AuditLines.AssertSequence(0, Count, records);
            Assert.All(records, r => Assert.Null(r.Error));
            Assert.Equal(Enumerable.Range(1, Count).Select(n => (long)n), records.Select(r => r.Event!.Line));
            Assert.All(records, r => Assert.Equal(path, r.Event!.File));
        }
    }

    [Fact]
    public void Follow_LineWrittenInTwoPieces_IsGivenOnlyWhenComplete()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllBytes(path, AuditLines.Bytes(0));
        var second = AuditLines.Bytes(1);
        using var follow = new FollowHarness(path, tail: -1);
        Assert.Equal([0], AuditLines.Ids(follow.WaitFor(1)));

        using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.Write(second, 0, 300);
            stream.Flush();
            Thread.Sleep(300); // many polls see the half line

            Assert.Equal(1, follow.Count);

            stream.Write(second, 300, second.Length - 300);
            stream.Flush();
        }

        var records = follow.WaitFor(2);
        Assert.Equal([0, 1], AuditLines.Ids(records));
        Assert.Null(records[1].Error);
        Assert.Equal(2L, records[1].Event!.Line);
    }

    [Fact]
    public void Follow_Cancelled_EndsPromptlyWithoutException()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllBytes(path, AuditLines.Bytes(0));

        // The default poll interval: cancellation must not wait for it to run out.
        using var follow = new FollowHarness(path, tail: 0, new AuditLogFollowerOptions { PollInterval = TimeSpan.FromSeconds(10) });
        Thread.Sleep(200);

        var took = follow.Stop();

        Assert.True(took < TimeSpan.FromSeconds(1), $"took {took}");
        Assert.Empty(follow.Taken);
    }

    [Fact]
    public void Follow_CancelledWhileWaitingForTheFile_Ends()
    {
        using var dir = new TempFolder();
        using var follow = new FollowHarness(dir.File("missing.log"), tail: 10);
        Thread.Sleep(100);

        Assert.True(follow.Stop() < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Follow_EnumerationAbandoned_ReleasesTheFile()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllBytes(path, AuditLines.Bytes(0).Concat(AuditLines.Bytes(1)).ToArray());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        var first = new AuditLogFollower().Follow(path, -1, cancel.Token).First();

        Assert.Equal("00000000-0000-4000-8000-000000000000", first.Event!.AuditId);
        File.Delete(path); // on Windows this fails while a handle is open without delete sharing
    }

    [Fact]
    public void Follow_FileAppearsLater_IsReadFromItsStart()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        using var follow = new FollowHarness(path, tail: 0);
        Thread.Sleep(150);

        File.WriteAllBytes(path, [.. AuditLines.Bytes(0), .. AuditLines.Bytes(1), .. AuditLines.Bytes(2)]);

        var records = follow.WaitFor(3);
        Assert.Equal([0, 1, 2], AuditLines.Ids(records));
        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Event!.Line));
    }

    [Fact]
    public void Follow_FileGoneForAWhile_WaitsAndReadsTheNewOne()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllBytes(path, [.. AuditLines.Bytes(0), .. AuditLines.Bytes(1)]);
        using var follow = new FollowHarness(path, tail: -1);
        Assert.Equal([0, 1], AuditLines.Ids(follow.WaitFor(2)));

        File.Delete(path);
        Thread.Sleep(250);
        File.WriteAllBytes(path, [.. AuditLines.Bytes(2), .. AuditLines.Bytes(3)]);

        var records = follow.WaitFor(4);
        Assert.Equal([0, 1, 2, 3], AuditLines.Ids(records));
        Assert.Equal(1L, records[2].Event!.Line);
    }

    [Fact]
    public void Follow_BadAndBlankLines_GiveErrorsAndTheFollowGoesOn()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllText(path, "\uFEFF" + AuditLines.Line(0) + "\r\n   \n{\"verb\":\n" + AuditLines.Line(1).Replace("\n", "\r\n"));

        using var follow = new FollowHarness(path, tail: -1);
        var records = follow.WaitFor(3);

        Assert.Equal([0, -1, 1], AuditLines.Ids(records));
        Assert.Equal(4L, records[1].Error!.Line);
        Assert.Equal(path, records[1].Error!.File);
        Assert.Equal(5L, records[2].Event!.Line);
    }

    [Fact]
    public void Follow_PathUnreadable_ReportsOnceAndKeepsWaiting()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        Directory.CreateDirectory(path); // exists, but cannot be read as a file

        using var follow = new FollowHarness(path, tail: 0);
        var records = follow.WaitFor(1);
        Thread.Sleep(150);

        Assert.Equal(1, follow.Count);
        Assert.Equal(DiagnosticCodes.ReadFailed, records[0].Error!.Code);
        Assert.Equal(path, records[0].Error!.File);

        Directory.Delete(path);
        File.WriteAllBytes(path, AuditLines.Bytes(0));
        Assert.Equal([-1, 0], AuditLines.Ids(follow.WaitFor(2)));
    }

    [Fact]
    public void Follow_InvalidArguments_Throw()
    {
        var follower = new AuditLogFollower();

        Assert.Throws<ArgumentOutOfRangeException>(() => follower.Follow("x.log", -2, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => follower.Follow("", 0, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => follower.Follow("audit-2024-01-01T00-00-00.000.log.gz", 0, CancellationToken.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AuditLogFollower(new AuditLogFollowerOptions { PollInterval = TimeSpan.Zero }));
    }
}
