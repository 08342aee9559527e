using KubeAudit.Core.Events.Follow;
using KubeAudit.Core.Stores;

namespace KubeAudit.Core.Tests.Stores;

public sealed class AuditEventSenderTests
{
    private static AuditEvent Event(int i) =>
        ReaderHelpers.ParseOne($$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"id-{{{i}}}","stage":"ResponseComplete","verb":"get","user":{"username":"u"}}""");

    private static FollowPosition At(long offset) => new("/var/log/audit.log", 1, 2, false, offset, 0);

    private static (AuditEventSender Sender, List<TimeSpan> Delays) Sender(FakeWriter writer, int batch = 3, int attempts = 4, string? checkpoint = null)
    {
        var delays = new List<TimeSpan>();
        var options = new SendOptions
        {
            BatchSize = batch,
            MaxAttempts = attempts,
            FirstDelay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromSeconds(3),
            Delay = (d, _) => { delays.Add(d); return Task.CompletedTask; },
            CheckpointPath = checkpoint,
        };
        return (new AuditEventSender(writer, options, "ClickHouse", "t"), delays);
    }

    [Fact]
    public void SendsFullBatchesAsTheyFill_AndTheRestOnFlush()
    {
        var writer = new FakeWriter();
        var (sender, _) = Sender(writer);
        for (var i = 0; i < 7; i++)
        {
            sender.Add(Event(i), null, default);
        }

        Assert.Equal(1, sender.Summary.Batches); // the second batch travels while the seventh event waits
        sender.Flush(default);
        Assert.Equal([3, 3, 1], writer.Requests.Select(r => r.Count));
        Assert.Equal((7L, 0L, 0L, 3L), (sender.Summary.Sent, sender.Summary.Retried, sender.Summary.Failed, sender.Summary.Batches));
    }

    [Fact]
    public void RetryableFailures_AreRetriedWithDoublingCappedBackoff_ThenCountOnce()
    {
        var writer = new FakeWriter { FailNext = 3, Retryable = true };
        var (sender, delays) = Sender(writer);
        for (var i = 0; i < 3; i++)
        {
            sender.Add(Event(i), null, default);
        }

        sender.Flush(default);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], delays);
        Assert.Equal((3L, 9L, 0L, 1L), (sender.Summary.Sent, sender.Summary.Retried, sender.Summary.Failed, sender.Summary.Batches));
    }

    [Fact]
    public void StoreStaysDown_GivesUpAfterMaxAttempts_NothingCountedSent()
    {
        var writer = new FakeWriter { FailNext = int.MaxValue, Retryable = true };
        var (sender, delays) = Sender(writer, attempts: 4);
        for (var i = 0; i < 5; i++)
        {
            sender.Add(Event(i), null, default); // the first batch goes; the next ones wait
        }

        var ex = Assert.Throws<StoreException>(() => sender.Add(Event(5), null, default)); // the second batch is full: the first one's failure surfaces
        Assert.Contains("gave up after 4 attempts", ex.Message);
        Assert.Equal(3, delays.Count);
        Assert.Equal((0L, 6L, 0L), (sender.Summary.Sent, sender.Summary.Failed, sender.Summary.Batches)); // the batch failed, and the three read meanwhile
        Assert.Equal(0, sender.Pending);
    }

    [Fact]
    public void NonRetryableFailure_IsNotRetried()
    {
        var writer = new FakeWriter { FailNext = 1, Retryable = false };
        var (sender, delays) = Sender(writer);
        sender.Add(Event(1), null, default);
        Assert.Throws<StoreException>(() => sender.Flush(default));
        Assert.Empty(delays);
        Assert.Single(writer.Requests);
        Assert.Equal(1L, sender.Summary.Failed);
    }

    [Fact]
    public void RetryableItemErrors_OnlyThoseAreResent_PermanentOnesAreReturned()
    {
        var writer = new FakeWriter();
        writer.ItemErrors = batch => writer.Requests.Count == 1
            ? [new StoreItemError(batch[0], "es_rejected_execution_exception", 429, true), new StoreItemError(batch[1], "mapper_parsing_exception", 400, false)]
            : [];
        var (sender, _) = Sender(writer);
        var refused = new List<StoreItemError>();
        for (var i = 0; i < 3; i++)
        {
            refused.AddRange(sender.Add(Event(i), null, default));
        }

        refused.AddRange(sender.Flush(default));
        Assert.Equal(["id-0"], writer.Requests[1].Select(e => e.AuditId));
        Assert.Equal("id-1", Assert.Single(refused).Event.AuditId);
        Assert.Equal((2L, 1L, 1L), (sender.Summary.Sent, sender.Summary.Retried, sender.Summary.Failed));
    }

    [Fact]
    public void Checkpoint_MovesOnlyAfterAnAcknowledgedBatch_ToItsLastFollowedEvent()
    {
        using var dir = new TempFolder();
        var checkpoint = dir.File("send.checkpoint");
        var writer = new FakeWriter();
        var (sender, _) = Sender(writer, batch: 2, attempts: 1, checkpoint: checkpoint);
        sender.Add(Event(1), At(100), default);
        Assert.Null(SendCheckpoint.Load(checkpoint)); // not sent yet
        sender.Add(Event(2), null, default); // e.g. read from a backup while catching up: the checkpoint stays at 100
        sender.Flush(default);
        Assert.Equal(At(100), SendCheckpoint.Load(checkpoint));

        writer.FailNext = 1;
        sender.Add(Event(3), At(300), default);
        sender.Add(Event(4), At(400), default);
        Assert.Throws<StoreException>(() => sender.Flush(default));
        Assert.Equal(At(100), SendCheckpoint.Load(checkpoint));
        Assert.False(File.Exists(checkpoint + ".tmp"));
    }

    [Fact]
    public void Checkpoint_NotACheckpoint_IsAClearError()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("x"), "{\"foo\": 1}");
        Assert.Throws<InvalidDataException>(() => SendCheckpoint.Load(dir.File("x")));
    }

    private sealed class FakeWriter : IAuditStoreWriter
    {
        public List<List<AuditEvent>> Requests { get; } = [];

        public int FailNext { get; set; }

        public bool Retryable { get; set; }

        public Func<IReadOnlyList<AuditEvent>, IReadOnlyList<StoreItemError>> ItemErrors { get; set; } = _ => [];

        public Task CreateSchemaAsync(CancellationToken cancel) => Task.CompletedTask;

        public Task<SendOutcome> SendAsync(IReadOnlyList<AuditEvent> batch, CancellationToken cancel)
        {
            Requests.Add([.. batch]);
            if (FailNext > 0)
            {
                FailNext--;
                throw new StoreException("down", Retryable ? 503 : 400, Retryable);
            }

            var errors = ItemErrors(batch);
            return Task.FromResult(new SendOutcome(batch.Count - errors.Count, errors));
        }

        public void Dispose()
        {
        }
    }
}
