using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace KubeAudit.Core.Pipeline;

/// <summary>
/// Runs a producer on a second thread, ahead of its consumer, handing items over in order and in
/// batches (one hand-over per batch keeps synchronisation off the hot path). Reading and parsing
/// then overlap with the PowerShell pipeline that consumes the events.
/// </summary>
public static class ParseAhead
{
    /// <summary>
    /// Enumerates <paramref name="produce"/>'s items in order. The producer gets a token that fires when
    /// the consumer stops early; an exception from the producer is rethrown after the items before it.
    /// <paramref name="stop"/> ends a consumer that is waiting.
    /// </summary>
    public static IEnumerable<T> Enumerate<T>(
        Func<CancellationToken, IEnumerable<T>> produce,
        CancellationToken stop = default,
        int batchSize = 256,
        int maxBatches = 16)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var queue = new BlockingCollection<List<T>>(maxBatches);
        Exception? failure = null;
        var worker = new Thread(() =>
        {
            var batch = new List<T>(batchSize);
            try
            {
                foreach (var item in produce(cancel.Token))
                {
                    batch.Add(item);
                    if (batch.Count == batchSize)
                    {
                        queue.Add(batch, cancel.Token);
                        batch = new List<T>(batchSize);
                    }
                }

                if (batch.Count > 0)
                {
                    queue.Add(batch, cancel.Token);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // The consumer went away; nothing to report.
            }
            catch (Exception ex)
            {
                // Hand over what came before the failure, then the failure.
                if (batch.Count > 0 && !cancel.IsCancellationRequested)
                {
                    queue.Add(batch);
                }

                failure = ex;
            }
            finally
            {
                queue.CompleteAdding();
            }
        })
        {
            IsBackground = true,
            Name = "KubeAudit parse-ahead",
        };
        worker.Start();
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancel.Token))
            {
                foreach (var item in batch)
                {
                    yield return item;
                }
            }

            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            cancel.Cancel();
            worker.Join();
        }
    }
}
