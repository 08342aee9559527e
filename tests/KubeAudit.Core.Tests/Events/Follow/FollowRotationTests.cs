using KubeAudit.Core.Events.Follow;
using KubeAudit.Core.Events.Rotation;

namespace KubeAudit.Core.Tests.Events.Follow;

public class FollowRotationTests
{
    [Theory]
    [InlineData(1, 20)] // one write(2) per line, like lumberjack
    [InlineData(4096, 20)] // buffered: lines split across writes
    [InlineData(1, 150)] // slower polls than rotations: whole generations pass unseen
    public void Follow_RenameRotationWhileWriting_NoLossNoRepeat(int bufferSize, int pollMs)
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        const int Count = 12_000;
        int rotations;
        using (var follow = new FollowHarness(path, tail: -1, new AuditLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(pollMs) }))
        {
            using (var writer = new LumberjackWriter(path, maxBytes: 256 * 1024, bufferSize: bufferSize))
            {
                for (var i = 0; i < Count; i++)
                {
                    writer.Write(AuditLines.Bytes(i));
                }

                rotations = writer.Rotations;
            }

            var records = follow.WaitFor(Count);
            Assert.True(rotations >= 20, $"only {rotations} rotations");
            AuditLines.AssertSequence(0, Count, records);
            Assert.All(records, r => Assert.Null(r.Error));
            Thread.Sleep(100);
            Assert.Equal(Count, follow.Count); // and nothing more
        }

        Assert.Equal(rotations, RotatedLogSet.FindBackups(path).Count);
    }

    [Fact]
    public void Follow_RotationWithCompressionMill_NoLossNoRepeat()
    {
        using var dir = new TempFolder();
        var path = dir.File("kube-apiserver-audit.log");
        const int Count = 10_000;
        using var follow = new FollowHarness(path, tail: -1, new AuditLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(60) });
        using (var writer = new LumberjackWriter(path, maxBytes: 200 * 1024, compress: true))
        {
            for (var i = 0; i < Count; i++)
            {
                writer.Write(AuditLines.Bytes(i));
            }
        }

        var records = follow.WaitFor(Count);

        AuditLines.AssertSequence(0, Count, records);
        Assert.All(records, r => Assert.Null(r.Error));
        Assert.All(RotatedLogSet.FindBackups(path), b => Assert.Null(b.Plain));
    }

    [Fact]
    public void Follow_AfterRotation_LineNumbersRestartAndFileIsThePath()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        using var follow = new FollowHarness(path, tail: -1);
        using (var writer = new LumberjackWriter(path, maxBytes: AuditLines.Bytes(0).Length + AuditLines.Bytes(1).Length))
        {
            writer.Write(AuditLines.Bytes(0));
            writer.Write(AuditLines.Bytes(1));
            Assert.Equal(2, follow.WaitFor(2).Count);
            writer.Write(AuditLines.Bytes(2)); // rotates first
        }

        var records = follow.WaitFor(3);

        Assert.Equal([0, 1, 2], AuditLines.Ids(records));
        Assert.Equal([1L, 2L, 1L], records.Select(r => r.Event!.Line));
        Assert.All(records, r => Assert.Equal(path, r.Event!.File));
    }

    [Fact]
    public void Follow_CopyTruncate_StartsTheFileOver()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        var next = 0;
        using var follow = new FollowHarness(path, tail: -1);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
        for (var round = 0; round < 4; round++)
        {
            // Fewer lines each round, so the file after truncation stays below the old offset.
            var lines = 400 >> round;
            for (var i = 0; i < lines; i++)
            {
                stream.Write(AuditLines.Bytes(next++));
            }

            Assert.Equal(next, follow.WaitFor(next).Count);

            // logrotate copytruncate: copy, then truncate in place; the writer carries on at 0.
            File.Copy(path, path + "." + (round + 1));
            stream.SetLength(0);
        }

        stream.Write(AuditLines.Bytes(next++));
        var records = follow.WaitFor(next);

        AuditLines.AssertSequence(0, next, records);
        Assert.Equal(1L, records[^1].Event!.Line);
    }

    [Fact]
    public void Follow_RenamedAwayThenNewFileLater_ReadsTheOldRestThenTheNewFile()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllBytes(path, AuditLines.Bytes(0));
        using var follow = new FollowHarness(path, tail: -1);
        Assert.Single(follow.WaitFor(1));

        // Rename, then the old file gets its last line (a writer still holding it), then a new file.
        var backup = dir.File(LumberjackNames.BackupName("audit.log", DateTime.UtcNow));
        using (var old = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            File.Move(path, backup);
            Thread.Sleep(100);
            old.Write(AuditLines.Bytes(1));
        }

        Thread.Sleep(100);
        File.WriteAllBytes(path, AuditLines.Bytes(2));

        Assert.Equal([0, 1, 2], AuditLines.Ids(follow.WaitFor(3)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the followed file itself is already compressed: found by order, not identity
    public void Follow_SeveralRotationsBetweenTwoPolls_ReadsTheGenerationsInBetween(bool compressAll)
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllBytes(path, AuditLines.Bytes(0));
        var options = new AuditLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(1500) };
        using var follow = new FollowHarness(path, tail: -1, options);
        Assert.Single(follow.WaitFor(1));
        Thread.Sleep(50); // now asleep at the end of the file

        // Eleven generations of one line each, well within one poll interval.
        using (var writer = new LumberjackWriter(path, maxBytes: 1)) // every write rotates first
        {
            for (var i = 1; i < 12; i++)
            {
                writer.Write(AuditLines.Bytes(i));
            }

            Assert.Equal(11, writer.Rotations);
        }

        if (compressAll)
        {
            foreach (var backup in RotatedLogSet.FindBackups(path))
            {
                using (var source = File.OpenRead(backup.Path))
                using (var target = new System.IO.Compression.GZipStream(File.Create(backup.Path + ".gz"), System.IO.Compression.CompressionLevel.Fastest))
                {
                    source.CopyTo(target);
                }

                File.Delete(backup.Path);
            }
        }

        Assert.Equal(1, follow.Count);
        var records = follow.WaitFor(12);

        AuditLines.AssertSequence(0, 12, records);
        Assert.Equal(10, records.Count(r => r.Event!.File != path)); // those came from backups read whole
    }

    [Fact]
    public void Follow_StartedWhileTheWriterRotatesEveryFewLines_NoLossNoRepeat()
    {
        // The start races with rotations: the first open must not drop a generation.
        for (var round = 0; round < 8; round++)
        {
            using var dir = new TempFolder();
            var path = dir.File("audit.log");
            const int Count = 3000;
            using var writer = new LumberjackWriter(path, maxBytes: 24 * 1024);
            for (var i = 0; i < 10; i++)
            {
                writer.Write(AuditLines.Bytes(i));
            }

            using var follow = new FollowHarness(path, tail: -1);
            for (var i = 10; i < Count; i++)
            {
                writer.Write(AuditLines.Bytes(i));
            }

            AuditLines.AssertSequence(0, Count, follow.WaitFor(Count));
        }
    }
}
