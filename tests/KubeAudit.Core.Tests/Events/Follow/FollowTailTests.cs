using System.Diagnostics;
using System.Text;

namespace KubeAudit.Core.Tests.Events.Follow;

public class FollowTailTests
{
    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(1, new[] { 2 })]
    [InlineData(2, new[] { 1, 2 })]
    [InlineData(10, new[] { 0, 1, 2 })]
    [InlineData(-1, new[] { 0, 1, 2 })]
    public void Follow_Tail_GivesTheLastCompleteLinesThenTheLineBeingWritten(int tail, int[] expected)
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        var partial = AuditLines.Bytes(3);
        File.WriteAllText(path, AuditLines.Line(0) + "\n" + AuditLines.Line(1) + "  \n\r\n" + AuditLines.Line(2));
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(partial, 0, 100);
        }

        using var follow = new FollowHarness(path, tail);
        Thread.Sleep(150);
        Assert.Equal(expected, AuditLines.Ids(follow.WaitFor(expected.Length)));

        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(partial, 100, partial.Length - 100);
        }

        Assert.Equal([.. expected, 3], AuditLines.Ids(follow.WaitFor(expected.Length + 1)));
    }

    [Fact]
    public void Follow_TailOfAHugeFile_ReadsOnlyItsEnd()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");

        // 8 GB, sparse: reading it whole would take many seconds.
        using (var stream = new FileStream(path, FileMode.Create))
        {
            stream.SetLength(8L << 30);
            stream.Position = stream.Length;
            stream.WriteByte((byte)'\n');
            for (var i = 0; i < 1000; i++)
            {
                stream.Write(AuditLines.Bytes(i));
            }
        }

        var watch = Stopwatch.StartNew();
        using var follow = new FollowHarness(path, tail: 25);
        var records = follow.WaitFor(25);
        watch.Stop();

        AuditLines.AssertSequence(975, 25, records);
        Assert.All(records, r => Assert.Equal(0L, r.Event!.Line)); // read from the middle: unknown
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");

        File.AppendAllText(path, AuditLines.Line(1000));
        AuditLines.AssertSequence(975, 26, follow.WaitFor(26));
    }

    [Fact]
    public void Follow_TailAcrossLinesLongerThanTheScanBlock_FindsTheirStart()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        var big = AuditLines.Padded(1, 300_000);
        File.WriteAllText(path, AuditLines.Line(0) + big + AuditLines.Line(2), new UTF8Encoding(false));

        using var follow = new FollowHarness(path, tail: 2);
        var records = follow.WaitFor(2);

        Assert.Equal([1, 2], AuditLines.Ids(records));
        Assert.Null(records[0].Error);
    }
}
