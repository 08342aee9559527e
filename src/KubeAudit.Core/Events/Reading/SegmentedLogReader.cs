using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Events.Reading;

/// <summary>
/// Reads log files with several threads while keeping file and line order: large plain files are cut
/// into pieces at line boundaries, workers take pieces in order, and the consumer drains them in order,
/// renumbering lines of later pieces. Each piece's queue is bounded, so memory stays flat however far
/// a worker gets ahead; with a selective filter the pieces really are read in parallel.
/// </summary>
public static class SegmentedLogReader
{
    private const int BatchSize = 256;
    private const int BatchesPerSegment = 4;
    private const int PiecesPerWorker = 4;

    /// <summary>The records of <paramref name="files"/>, in order, read by up to <paramref name="workers"/> threads.</summary>
    public static IEnumerable<AuditLogRecord> Read(
        IReadOnlyList<string> files,
        AuditEventFilter? filter = null,
        ReadProgress? progress = null,
        int workers = 2,
        long minimumPieceBytes = 16L * 1024 * 1024,
        CancellationToken stop = default)
    {
        // More pieces than workers: a worker that finishes a piece takes the next one while the
        // consumer is still on an earlier piece, so a selective filter keeps every worker busy.
        var segments = LogSegment.Plan(files, Math.Max(1, workers) * PiecesPerWorker, minimumPieceBytes);
        progress?.SetTotal(files.Sum(SizeOf));
        var slots = segments.Select(_ => new Slot()).ToArray();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var next = -1;
        var threads = Enumerable.Range(0, Math.Clamp(workers, 1, segments.Count)).Select(n => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < segments.Count && !cancel.IsCancellationRequested)
            {
                Fill(segments[i], slots[i], filter, progress, cancel.Token);
            }
        })
        {
            IsBackground = true,
            Name = "KubeAudit reader " + n,
        }).ToList();
        threads.ForEach(t => t.Start());

        try
        {
            long lineOffset = 0;
            for (var i = 0; i < segments.Count; i++)
            {
                progress?.SetFile(segments[i].File);
                foreach (var batch in slots[i].Queue.GetConsumingEnumerable(cancel.Token))
                {
                    foreach (var record in batch)
                    {
                        yield return lineOffset == 0 ? record : Renumber(record, lineOffset);
                    }
                }

                if (slots[i].Failure is { } failure)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }

                lineOffset = segments[i].LastOfFile ? 0 : lineOffset + slots[i].LinesRead;
            }
        }
        finally
        {
            cancel.Cancel();
            threads.ForEach(t => t.Join());
            foreach (var slot in slots)
            {
                slot.Queue.Dispose();
            }
        }
    }

    private static void Fill(LogSegment segment, Slot slot, AuditEventFilter? filter, ReadProgress? progress, CancellationToken cancel)
    {
        var batch = new List<AuditLogRecord>(BatchSize);
        try
        {
            if (segment.Detected)
            {
                FillDetected(segment, slot, filter, progress, cancel, ref batch);
                return;
            }

            JsonLinesReader reader;
            try
            {
                reader = Open(segment, filter);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                batch.Add(ReadFailed(segment.File, ex));
                return;
            }

            using (reader)
            using (var relook = new Relook(segment, filter))
            {
                long reported = 0;
                try
                {
                    foreach (var record in reader.ReadRecords(cancel))
                    {
                        relook.Add(record, batch);
                        if (batch.Count >= BatchSize)
                        {
                            slot.Queue.Add(batch, cancel);
                            batch = new List<AuditLogRecord>(BatchSize);
                            reported = Report(progress, reader, reported);
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    // A truncated .gz or a vanished file: keep what was read, report it in order.
                    batch.Add(ReadFailed(segment.File, ex));
                }

                Report(progress, reader, reported);
                slot.LinesRead = reader.LinesRead;
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The consumer went away.
        }
        catch (Exception ex)
        {
            slot.Failure = ex;
        }
        finally
        {
            if (batch.Count > 0 && !cancel.IsCancellationRequested)
            {
                slot.Queue.Add(batch, CancellationToken.None);
            }

            slot.Queue.CompleteAdding();
        }
    }

    // Any other format, whole, through format detection; its records are numbered by AuditSource.
    private static void FillDetected(LogSegment segment, Slot slot, AuditEventFilter? filter, ReadProgress? progress, CancellationToken cancel, ref List<AuditLogRecord> batch)
    {
        try
        {
            foreach (var record in Formats.AuditSource.ReadFile(segment.File, filter, cancel))
            {
                batch.Add(record);
                if (batch.Count >= BatchSize)
                {
                    slot.Queue.Add(batch, cancel);
                    batch = new List<AuditLogRecord>(BatchSize);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            batch.Add(ReadFailed(segment.File, ex));
        }

        progress?.AddBytes(SizeOf(segment.File));
    }

    private static JsonLinesReader Open(LogSegment segment, AuditEventFilter? filter)
    {
        if (segment.Length is not { } length)
        {
            return JsonLinesReader.OpenFile(segment.File, filter);
        }

        var stream = new FileStream(segment.File, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.SequentialScan,
            BufferSize = 0,
        });
        stream.Position = segment.Start;
        return new JsonLinesReader(new BoundedStream(stream, length), segment.File, leaveOpen: false, filter, expectBom: segment.FirstOfFile);
    }

    private static long Report(ReadProgress? progress, JsonLinesReader reader, long reported)
    {
        var now = reader.Position;
        progress?.AddBytes(now - reported);
        return now;
    }

    // A line the fast reader rejected may be another producer's record among plain events (a GKE entry,
    // an OTLP export, a collector's message): it is read again the way AuditSource reads a mixed file.
    private sealed class Relook(LogSegment segment, AuditEventFilter? filter) : IDisposable
    {
        private readonly List<AuditLogRecord> _output = [];
        private LineFetcher? _lines;
        private Formats.LineDispatcher? _dispatcher;

        public void Add(AuditLogRecord record, List<AuditLogRecord> batch)
        {
            if (record.Error is not { } error || !Formats.JsonLinesFormatReader.IsWorthAnotherLook(error.Code))
            {
                batch.Add(record);
                return;
            }

            _lines ??= new LineFetcher(segment);
            _dispatcher ??= new Formats.LineDispatcher(segment.File);
            var raw = _lines.GetLine(error.Line);
            if (raw.IsEmpty)
            {
                batch.Add(record);
                return;
            }

            _dispatcher.Dispatch(raw, error.Line, error, _output);
            _dispatcher.Flush(_output);
            foreach (var found in _output)
            {
                if (found.Event is not { } ev || filter is null || filter.IsEmpty || filter.Matches(ev))
                {
                    batch.Add(found);
                }
            }

            _output.Clear();
        }

        public void Dispose() => _lines?.Dispose();
    }

    private static AuditLogRecord Renumber(AuditLogRecord record, long offset)
    {
        if (record.Event is { } ev)
        {
            ev.Line += offset;
            return record;
        }

        return record with { Error = record.Error! with { Line = record.Error.Line + offset } };
    }

    private static AuditLogRecord ReadFailed(string file, Exception ex) =>
        new(null, new Diagnostic(DiagnosticCodes.ReadFailed, DiagnosticSeverity.Error, $"Cannot read '{file}': {ex.Message}", file));

    private static long SizeOf(string file)
    {
        try
        {
            return new FileInfo(file).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private sealed class Slot
    {
        public BlockingCollection<List<AuditLogRecord>> Queue { get; } = new(BatchesPerSegment);

        public long LinesRead { get; set; }

        public Exception? Failure { get; set; }
    }
}
