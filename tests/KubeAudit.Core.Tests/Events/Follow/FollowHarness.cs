using System.Collections.Concurrent;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Tests.Events.Follow;

/// <summary>
/// Runs a follow on its own thread (the enumerator stays on that thread) and collects the records.
/// Every wait is bounded, and a hard timeout cancels the follow, so no test can hang.
/// </summary>
internal sealed class FollowHarness : IDisposable
{
    private readonly CancellationTokenSource _cancel = new(TimeSpan.FromSeconds(20));
    private readonly BlockingCollection<AuditLogRecord> _records = [];
    private readonly List<AuditLogRecord> _taken = [];
    private readonly Task _consumer;

    public FollowHarness(string path, int tail, AuditLogFollowerOptions? options = null)
    {
        // The follow starts when the consumer thread first looks at the path: wait for that, so that
        // what a test writes next is "new" for certain.
        using var started = new ManualResetEventSlim();
        options ??= new AuditLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(20) };
        var follower = new AuditLogFollower(new AuditLogFollowerOptions
        {
            PollInterval = options.PollInterval,
            MaxLineBytes = options.MaxLineBytes,
            BufferBytes = options.BufferBytes,
            Started = started.Set,
            Idle = options.Idle,
        });
        _consumer = Task.Factory.StartNew(
            () =>
            {
                foreach (var record in follower.Follow(path, tail, _cancel.Token))
                {
                    _records.Add(record);
                }

                _records.CompleteAdding();
            },
            TaskCreationOptions.LongRunning);
        Assert.True(started.Wait(TimeSpan.FromSeconds(5)), "the follow did not start");
    }

    /// <summary>Records so far (all taken, in order).</summary>
    public IReadOnlyList<AuditLogRecord> Taken => _taken;

    public int Count
    {
        get
        {
            Drain(TimeSpan.Zero);
            return _taken.Count;
        }
    }

    /// <summary>Waits until <paramref name="count"/> records have come, or the time is up; returns them all.</summary>
    public List<AuditLogRecord> WaitFor(int count, double seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (_taken.Count < count && DateTime.UtcNow < deadline)
        {
            Drain(TimeSpan.FromMilliseconds(10));
        }

        return [.. _taken];
    }

    /// <summary>Cancels, and returns how long the enumeration took to end (it must end, without an exception).</summary>
    public TimeSpan Stop()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _cancel.Cancel();
        Assert.True(_consumer.Wait(TimeSpan.FromSeconds(3)), "the follow did not end after cancellation");
        Drain(TimeSpan.Zero);
        return watch.Elapsed;
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _consumer.Wait(TimeSpan.FromSeconds(3));
        _cancel.Dispose();
    }

    private void Drain(TimeSpan wait)
    {
        if (_records.TryTake(out var first, wait))
        {
            _taken.Add(first);
            while (_records.TryTake(out var next))
            {
                _taken.Add(next);
            }
        }
    }
}
