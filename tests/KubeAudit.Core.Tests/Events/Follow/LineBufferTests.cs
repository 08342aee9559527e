using System.Text;
using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Tests.Events.Follow;

public class LineBufferTests
{
    [Fact]
    public void TryTake_OnlyCompleteLines_ThePartialOneWaits()
    {
        var buffer = new LineBuffer(1024, 4096);

        Assert.Equal(["one"], Feed(buffer, "one\ntw", 100));
        Assert.Equal(2, buffer.Pending);
        Assert.Equal(["two"], Feed(buffer, "o\n", 100));
        Assert.Equal(0, buffer.Pending);
    }

    [Fact]
    public void LongLine_GrowsTheBuffer_ThenItGoesBackToItsBaseSize()
    {
        var buffer = new LineBuffer(1024, 1 << 20);
        var line = new string('x', 100_000);
        var maxCapacity = 0;

        var lines = Feed(buffer, line + "\nend\n", 700, b => maxCapacity = Math.Max(maxCapacity, b.Capacity));

        Assert.Equal([line, "end"], lines);
        Assert.True(maxCapacity > 100_000);
        buffer.Free();
        Assert.Equal(1024, buffer.Capacity);
    }

    [Fact]
    public void LineOverTheLimit_ReportedOnce_RestSkippedToItsNewline()
    {
        var buffer = new LineBuffer(1024, 4000);
        var maxCapacity = 0;

        var lines = Feed(buffer, "a\n" + new string('y', 20_000) + "\nb\n", 900, b => maxCapacity = Math.Max(maxCapacity, b.Capacity));

        Assert.Equal(["a", "<too long>", "b"], lines);
        Assert.True(maxCapacity <= 4001, $"capacity {maxCapacity}");
    }

    // Does what the follower does: take every complete line, then read more (at most chunk bytes).
    private static List<string> Feed(LineBuffer buffer, string text, int chunk, Action<LineBuffer>? observe = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = new List<string>();
        var done = 0;
        while (true)
        {
            while (buffer.TryTake(out var line, out var tooLong))
            {
                lines.Add(tooLong ? "<too long>" : Encoding.UTF8.GetString(line));
            }

            if (done == bytes.Length)
            {
                return lines;
            }

            var free = buffer.Free().Span;
            observe?.Invoke(buffer);
            var n = Math.Min(Math.Min(free.Length, chunk), bytes.Length - done);
            bytes.AsSpan(done, n).CopyTo(free);
            buffer.Commit(n);
            done += n;
        }
    }
}
