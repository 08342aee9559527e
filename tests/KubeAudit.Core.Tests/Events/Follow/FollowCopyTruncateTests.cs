using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Tests.Events.Follow;

/// <summary>
/// logrotate's copytruncate while the API server writes at a steady rate. The writer runs on the
/// follower's own thread, one step each time the follower has read everything and would wait, so
/// what the follower saw before each truncation is exactly known and the test needs no sleeps.
/// </summary>
public class FollowCopyTruncateTests
{
    private const int LinesPerStep = 7;

    /// <summary>How the truncation falls between two polls.</summary>
    public enum Timing
    {
        /// <summary>Lines are written after the last poll, then copy and truncate: those lines exist only in the copy.</summary>
        LinesOnlyInTheCopy,

        /// <summary>As above, and the file refills past the old read offset before the next poll: its size hides the truncation.</summary>
        RefilledPastTheOffset,
    }

    [Theory]
    [InlineData(Timing.LinesOnlyInTheCopy)]
    [InlineData(Timing.RefilledPastTheOffset)]
    public void Follow_CopyTruncateUnderASteadyWriter_GivesEveryAuditIdOnce(Timing timing)
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllBytes(path, []);
        var writer = new CopyTruncateWriter(path, timing, rotations: 5);
        using var follow = new FollowHarness(path, tail: -1, new AuditLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(1), Idle = writer.Step });

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!writer.Done && DateTime.UtcNow < deadline)
        {
            follow.WaitFor(int.MaxValue, seconds: 0.05);
        }

        Assert.True(writer.Done, "the writer did not finish");
        var records = follow.WaitFor(writer.Written, seconds: 5);
        follow.Stop();

        Assert.Equal(5, writer.Rotations);
        Assert.DoesNotContain(records, r => r.Error is not null);
        AuditLines.AssertSequence(0, writer.Written, records);
        // What was recovered from a copy is named as read from there.
        Assert.Contains(records, r => r.Event!.File!.StartsWith(path + ".", StringComparison.Ordinal));
    }

    [Fact]
    public void Follow_CopyTruncateWithTheCopyGone_WarnsWithTheOffset()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllBytes(path, []);
        var next = 0;
        var step = 0;
        void Step()
        {
            using var stream = OpenAtEnd(path);
            switch (step++)
            {
                case 0:
                    for (var i = 0; i < 20; i++)
                    {
                        stream.Write(AuditLines.Bytes(next++));
                    }

                    break;
                case 1:
                    // Two lines the follower never sees, then the file is emptied with no copy kept; the writer goes on.
                    stream.Write(AuditLines.Bytes(900));
                    stream.Write(AuditLines.Bytes(901));
                    stream.SetLength(0);
                    stream.Position = 0;
                    for (var i = 0; i < 30; i++)
                    {
                        stream.Write(AuditLines.Bytes(next++));
                    }

                    break;
            }
        }

        using var follow = new FollowHarness(path, tail: -1, new AuditLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(1), Idle = Step });

        var records = follow.WaitFor(51, seconds: 15);
        follow.Stop();

        var warning = Assert.Single(records, r => r.Error is not null).Error!;
        Assert.Equal(DiagnosticCodes.FollowDataMissing, warning.Code);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        var offset = Enumerable.Range(0, 20).Sum(i => AuditLines.Bytes(i).Length);
        Assert.Contains($"after byte {offset}", warning.Message);
        AuditLines.AssertSequence(0, 50, records.Where(r => r.Event is not null).ToList());
    }

    // Like the API server's log: written at its end, and truncatable (an O_APPEND stream cannot be truncated in .NET).
    private static FileStream OpenAtEnd(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Writes <see cref="LinesPerStep"/> lines per step and copy-truncates every third step, the copy kept beside.</summary>
    private sealed class CopyTruncateWriter(string path, Timing timing, int rotations)
    {
        private int _step;
        private bool _finished;

        public int Rotations { get; private set; }

        public int Written { get; private set; }

        public bool Done => Volatile.Read(ref _finished);

        public void Step()
        {
            if (_finished)
            {
                return;
            }

            using var stream = OpenAtEnd(path);
            Write(stream, LinesPerStep);
            if (Rotations == rotations)
            {
                Volatile.Write(ref _finished, true);
                return;
            }

            if (_step++ % 3 == 2)
            {
                // Written since the last poll, now copied, then truncated in place.
                var offset = stream.Length;
                File.Copy(path, path + "." + (++Rotations));
                stream.SetLength(0);
                stream.Position = 0;
                while (timing == Timing.RefilledPastTheOffset && stream.Length <= offset)
                {
                    // The writer carries on at 0 and passes the old offset before the follower looks again.
                    Write(stream, 1);
                }
            }
        }

        private void Write(FileStream stream, int lines)
        {
            for (var i = 0; i < lines; i++)
            {
                stream.Write(AuditLines.Bytes(Written++));
            }
        }
    }
}
