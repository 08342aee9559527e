using System.Diagnostics;
using KubeAudit.Core.Events.Follow;
using Xunit.Abstractions;

namespace KubeAudit.Core.Tests.Events.Follow;

public class FollowThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public void Follow_WriterAsFastAsItCan_KeepsUpAndMeasures()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        const int Count = 60_000;
        var lines = Enumerable.Range(0, Count).Select(AuditLines.Bytes).ToArray();
        var bytes = lines.Sum(l => (long)l.Length);

        var watch = Stopwatch.StartNew();
        using var follow = new FollowHarness(path, tail: -1, new AuditLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(100) });
        var writer = new Thread(() =>
        {
            using var w = new LumberjackWriter(path, maxBytes: 8 * 1024 * 1024, bufferSize: 64 * 1024);
            foreach (var line in lines)
            {
                w.Write(line);
            }
        });
        writer.Start();
        Assert.True(writer.Join(TimeSpan.FromSeconds(10)));
        var written = watch.Elapsed;
        var records = follow.WaitFor(Count, seconds: 10);
        var read = watch.Elapsed;

        AuditLines.AssertSequence(0, Count, records);
        output.WriteLine(
            $"{Count} events, {bytes / 1e6:F1} MB: written in {written.TotalMilliseconds:F0} ms, all read after {read.TotalMilliseconds:F0} ms " +
            $"=> {Count / read.TotalSeconds:F0} events/s, {bytes / 1e6 / read.TotalSeconds:F0} MB/s");
    }
}
