using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using KubeAudit.Core.Events.Formats;

namespace KubeAudit.Core.Events;

/// <summary>
/// Turns text pushed a piece at a time (pipeline strings from kubectl logs, Get-Content, a webhook body)
/// into records as soon as they are complete. <see cref="AuditSource.ReadText"/> pulls its input, so it
/// runs on a worker that is fed here; <see cref="Push"/> returns once the worker has used up the input,
/// which keeps output in step with input, in order.
/// </summary>
public sealed class TextFeed : IDisposable
{
    private readonly BlockingCollection<string> _input = [];
    private readonly ConcurrentQueue<AuditLogRecord> _output = new();
    private readonly ManualResetEventSlim _hungry = new(false);
    private readonly Thread _worker;
    private Exception? _failure;

    /// <summary>Starts a feed; <paramref name="source"/> names the input in events and diagnostics.</summary>
    public TextFeed(string? source)
    {
        _worker = new Thread(() =>
        {
            try
            {
                foreach (var record in AuditSource.ReadText(Inputs(), source))
                {
                    _output.Enqueue(record);
                }
            }
            catch (Exception ex)
            {
                _failure = ex;
            }
            finally
            {
                _hungry.Set();
            }
        })
        {
            IsBackground = true,
            Name = "KubeAudit text feed",
        };
        _worker.Start();
    }

    /// <summary>Adds text and returns the records it completed.</summary>
    public IReadOnlyList<AuditLogRecord> Push(string text)
    {
        _hungry.Reset();
        _input.Add(text);
        _hungry.Wait();
        return Drain();
    }

    /// <summary>Ends the input and returns the records still pending (e.g. an unfinished document's error).</summary>
    public IReadOnlyList<AuditLogRecord> Complete()
    {
        _input.CompleteAdding();
        _worker.Join();
        return Drain();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_input.IsAddingCompleted)
        {
            _input.CompleteAdding();
        }

        _worker.Join();
        _input.Dispose();
        _hungry.Dispose();
    }

    private IEnumerable<string> Inputs()
    {
        while (true)
        {
            if (!_input.TryTake(out var text))
            {
                // Everything pushed so far has been used: let Push return.
                _hungry.Set();
                try
                {
                    text = _input.Take();
                }
                catch (InvalidOperationException)
                {
                    yield break; // input completed
                }
            }

            yield return text;
        }
    }

    private List<AuditLogRecord> Drain()
    {
        if (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }

        var records = new List<AuditLogRecord>();
        while (_output.TryDequeue(out var record))
        {
            records.Add(record);
        }

        return records;
    }
}
