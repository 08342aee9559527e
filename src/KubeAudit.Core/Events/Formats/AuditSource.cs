using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// The way in for audit data of any shape: API-server JSON lines, pretty-printed events, arrays,
/// EventLists, legacy text, and other producers' records (Azure diagnostic records, CloudWatch Logs,
/// GKE Cloud Logging entries, OpenShift ViaQ records, OpenTelemetry OTLP/JSON exports, any of them in a
/// collector's <c>message</c>). The format is detected from the first bytes; line-based inputs are then
/// read line by line with per-line detection, documents whole. Each event or problem gives one record, in
/// input order; bad content never throws (I/O errors do). An input that starts like no known format and
/// gives nothing but errors is cut short with one <see cref="Diagnostics.DiagnosticCodes.NotAnAuditLog"/>.
/// Not the only one: plain JSON-lines files are read by <see cref="JsonLinesReader"/> directly (whole,
/// <c>-Tail</c>, <c>-Follow</c>; see <see cref="Reading.LogSegment"/>) and webhook bodies by
/// <see cref="Webhook.WebhookBodyParser"/>; all three parse events with the same <see cref="AuditEventParser"/>.
/// </summary>
/// <remarks>
/// <para>Where an event starts sets its <see cref="AuditEvent.Line"/>: the line itself for line-based inputs
/// (all events of a one-line batch share it), the line of the object's opening brace in a document, the
/// line of the wrapping record for Azure records and CloudWatch messages.</para>
/// <para>What <see cref="AuditEvent.ToJson"/> returns depends on the shape: the event's own bytes for JSON
/// lines, pretty-printed events and EventList or array items (a pretty-printed event stays multi-line);
/// the unescaped string for Azure <c>properties.log</c>, container <c>log</c> and CloudWatch <c>message</c>
/// wrappers (and OTLP <c>stringValue</c> bodies); the object itself for an Azure <c>properties.log</c> object
/// or Cloud Logging <c>jsonPayload</c>; JSON written from the map for an OTLP <c>kvlistValue</c> body; for
/// legacy text, audit.k8s.io/v1 Event JSON written from what the line carries (see
/// <see cref="LegacyEventWriter"/>); for a GKE LogEntry, the original entry, which is not an audit.k8s.io Event.</para>
/// </remarks>
public static class AuditSource
{
    /// <summary>The largest JSON document (pretty-printed, array, EventList, records) read whole: 512 MiB.</summary>
    public const long MaxDocumentBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Reads a file, gzip-compressed or not, while the API server may still be appending to it.
    /// The file is opened when enumeration starts, so a missing file throws then.
    /// </summary>
    public static IEnumerable<AuditLogRecord> ReadFile(string path) => ReadFile(path, MaxDocumentBytes);

    /// <summary>
    /// Reads <paramref name="stream"/> (gzip is recognised by its magic bytes); <paramref name="file"/>
    /// names it in events and diagnostics. The stream is left open.
    /// </summary>
    public static IEnumerable<AuditLogRecord> Read(Stream stream, string? file) => ReadCore(stream, file, 1, MaxDocumentBytes);

    /// <summary>
    /// <see cref="ReadFile(string)"/> keeping only the events <paramref name="filter"/> matches (diagnostics
    /// always come through) and stopping quietly when <paramref name="cancel"/> fires. Every event is parsed
    /// before it is filtered: the byte prefilter of <see cref="JsonLinesReader"/> does not apply, because it
    /// would skip wrapped lines whose event text is escaped.
    /// </summary>
    public static IEnumerable<AuditLogRecord> ReadFile(string path, AuditEventFilter? filter, CancellationToken cancel = default) =>
        Filter(ReadFile(path, MaxDocumentBytes), filter, cancel);

    /// <summary><see cref="Read(Stream, string?)"/> with a filter and cancellation, as <see cref="ReadFile(string, AuditEventFilter?, CancellationToken)"/>.</summary>
    public static IEnumerable<AuditLogRecord> Read(Stream stream, string? file, AuditEventFilter? filter, CancellationToken cancel = default) =>
        Filter(ReadCore(stream, file, 1, MaxDocumentBytes), filter, cancel);

    /// <summary>
    /// Reads text handed over as strings (ConvertFrom-KubeAuditEvent): each may be one line, a whole
    /// document or many lines; strings that together make up one pretty-printed document are put back
    /// together. Line numbers count across the strings, each string starting a new line.
    /// </summary>
    public static IEnumerable<AuditLogRecord> ReadText(IEnumerable<string> chunks, string? source)
    {
        // Text that starts like no audit log format gets the same one error a file would (see NotAnAuditLog).
        using var rest = chunks.GetEnumerator();
        var head = new List<string>();
        var unknown = false;
        while (rest.MoveNext())
        {
            head.Add(rest.Current);
            if (!string.IsNullOrWhiteSpace(rest.Current))
            {
                var start = rest.Current.AsSpan(0, Math.Min(rest.Current.Length, FormatDetector.MaxPeek / 4));
                unknown = FormatDetector.Detect(System.Text.Encoding.UTF8.GetBytes(start.ToArray())) == AuditLogFormat.Unknown;
                break;
            }
        }

        var records = TextChunkReader.Read(head.Concat(Remaining(rest)), source, MaxDocumentBytes);
        foreach (var record in unknown ? NotAnAuditLog.Guard(records, source, drain: true) : records)
        {
            yield return record;
        }
    }

    private static IEnumerable<string> Remaining(IEnumerator<string> chunks)
    {
        while (chunks.MoveNext())
        {
            yield return chunks.Current;
        }
    }

    /// <summary>
    /// The format of an input from its first bytes (decompressed; a UTF-8 BOM and leading blank lines
    /// are skipped). Two lines are enough; a first line that does not end within <paramref name="start"/>
    /// is taken for a long JSON line.
    /// </summary>
    public static AuditLogFormat DetectFormat(ReadOnlySpan<byte> start) => FormatDetector.Detect(start);

    /// <summary>The format of a file, decompressing gzip, as <see cref="ReadFile(string)"/> would read it.</summary>
    public static AuditLogFormat DetectFileFormat(string path)
    {
        using var stream = OpenFile(path);
        using var content = Open(stream);
        return FormatDetector.Detect(content.Peeked);
    }

    internal static IEnumerable<AuditLogRecord> ReadFile(string path, long maxDocumentBytes)
    {
        using var stream = OpenFile(path);
        foreach (var record in ReadCore(stream, path, 1, maxDocumentBytes))
        {
            yield return record;
        }
    }

    /// <summary>Detects and reads; <paramref name="firstLine"/> is the line number of the stream's first line.</summary>
    internal static IEnumerable<AuditLogRecord> ReadCore(Stream stream, string? file, long firstLine, long maxDocumentBytes)
    {
        using var content = Open(stream);
        var records = FormatDetector.Detect(content.Peeked) switch
        {
            AuditLogFormat.Empty => [],
            AuditLogFormat.JsonLines => JsonLinesFormatReader.Read(content, file, firstLine),
            AuditLogFormat.JsonDocument => JsonDocumentReader.Read(content, file, firstLine, maxDocumentBytes),
            AuditLogFormat.Unknown => NotAnAuditLog.Guard(LineFormatReader.Read(content, file, firstLine), file),
            _ => LineFormatReader.Read(content, file, firstLine),
        };

        foreach (var record in records)
        {
            yield return record;
        }
    }

    private static IEnumerable<AuditLogRecord> Filter(IEnumerable<AuditLogRecord> records, AuditEventFilter? filter, CancellationToken cancel)
    {
        var active = filter is { IsEmpty: false } ? filter : null;
        foreach (var record in records)
        {
            if (cancel.IsCancellationRequested)
            {
                yield break;
            }

            if (record.Event is { } ev && active is not null && !active.Matches(ev))
            {
                continue;
            }

            yield return record;
        }
    }

    // Undoes gzip and peeks far enough to detect the format. The caller's stream stays open.
    private static PeekedStream Open(Stream stream)
    {
        var raw = new PeekedStream(stream, leaveOpen: true);
        raw.PeekAtLeast(2);
        var isGzip = raw.Peeked is [0x1F, 0x8B, ..];
        var content = new PeekedStream(isGzip ? Reading.GzipInput.Open(raw, leaveOpen: false) : raw, leaveOpen: false);
        for (var size = 64 * 1024; ; size *= 2)
        {
            content.PeekAtLeast(Math.Min(size, FormatDetector.MaxPeek));
            if (content.PeekedToEnd || size >= FormatDetector.MaxPeek || FormatDetector.HasEnough(content.Peeked))
            {
                return content;
            }
        }
    }

    private static FileStream OpenFile(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        Options = FileOptions.SequentialScan,
        BufferSize = 0, // the readers buffer
    });
}
