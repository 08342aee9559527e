using KubeAudit.Core.Pipeline;

namespace KubeAudit.Core.Tests.Pipeline;

public class ParseAheadTests
{
    [Fact]
    public void Enumerate_KeepsOrderAcrossBatches()
    {
        var items = ParseAhead.Enumerate(_ => Enumerable.Range(0, 10_000), batchSize: 7).ToList();

        Assert.Equal(Enumerable.Range(0, 10_000), items);
    }

    [Fact]
    public void Enumerate_ProducerRunsOnAnotherThread()
    {
        var consumer = Environment.CurrentManagedThreadId;

        var producerThread = ParseAhead.Enumerate(_ => new[] { Environment.CurrentManagedThreadId }).Single();

        Assert.NotEqual(consumer, producerThread);
    }

    [Fact]
    public void Enumerate_ProducerFailure_ComesAfterTheItemsBeforeIt()
    {
        static IEnumerable<int> Failing(CancellationToken _)
        {
            yield return 1;
            yield return 2;
            throw new IOException("disk gone");
        }

        var seen = new List<int>();
        var ex = Assert.Throws<IOException>(() =>
        {
            foreach (var i in ParseAhead.Enumerate(Failing))
            {
                seen.Add(i);
            }
        });

        Assert.Equal([1, 2], seen);
        Assert.Equal("disk gone", ex.Message);
    }

    [Fact]
    public void Enumerate_ConsumerStopsEarly_ProducerIsCancelledAndJoined()
    {
        var stopped = false;
        IEnumerable<int> Endless(CancellationToken token)
        {
            try
            {
                for (var i = 0; !token.IsCancellationRequested; i++)
                {
                    yield return i;
                }
            }
            finally
            {
                // Runs when the producer's enumeration is disposed: its file would be closed here.
                stopped = true;
            }
        }

        var first = ParseAhead.Enumerate(Endless, batchSize: 4, maxBatches: 2).Take(3).ToList();

        Assert.Equal([0, 1, 2], first);
        Assert.True(stopped);
    }

    [Fact]
    public void Enumerate_StopToken_EndsAWaitingConsumer()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        static IEnumerable<int> Silent(CancellationToken token)
        {
            token.WaitHandle.WaitOne();
            yield break;
        }

        Assert.ThrowsAny<OperationCanceledException>(() => ParseAhead.Enumerate(Silent, stop.Token).ToList());
    }
}
