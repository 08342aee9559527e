using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Events;

/// <summary>
/// Reads several log files in order as one stream of records. A file that cannot be opened or
/// read becomes a ReadFailed record and the next file is read: failures are data, in order.
/// </summary>
public static class AuditFileReader
{
    /// <summary>The records of <paramref name="files"/>, in order.</summary>
    public static IEnumerable<AuditLogRecord> ReadFiles(
        IReadOnlyList<string> files,
        AuditEventFilter? filter = null,
        ReadProgress? progress = null,
        CancellationToken cancel = default)
    {
        long done = 0;
        progress?.SetTotal(files.Sum(SizeOf));
        foreach (var file in files)
        {
            if (cancel.IsCancellationRequested)
            {
                yield break;
            }

            progress?.SetFile(file);
            foreach (var record in ReadFile(file, filter, progress, done, cancel))
            {
                yield return record;
            }

            done += SizeOf(file);
            progress?.SetPosition(done);
        }
    }

    private static IEnumerable<AuditLogRecord> ReadFile(string file, AuditEventFilter? filter, ReadProgress? progress, long before, CancellationToken cancel)
    {
        AuditLogReader? reader = null;
        AuditLogRecord? openFailed = null;
        try
        {
            reader = AuditLogReader.OpenFile(file, filter);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            openFailed = ReadFailed(file, ex);
        }

        if (reader is null)
        {
            yield return openFailed!.Value;
            yield break;
        }

        using (reader)
        {
            using var records = reader.ReadRecords(cancel).GetEnumerator();
            var count = 0;
            while (true)
            {
                AuditLogRecord record;
                AuditLogRecord? failed = null;
                try
                {
                    if (!records.MoveNext())
                    {
                        break;
                    }

                    record = records.Current;
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    // A truncated .gz or a vanished file: keep what was read, report, go on to the next file.
                    record = default;
                    failed = ReadFailed(file, ex);
                }

                if (failed is not null)
                {
                    yield return failed.Value;
                    yield break;
                }

                if (progress is not null && (++count & 1023) == 0)
                {
                    progress.SetPosition(before + reader.Position);
                }

                yield return record;
            }
        }
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
}
