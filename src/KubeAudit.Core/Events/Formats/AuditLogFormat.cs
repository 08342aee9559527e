namespace KubeAudit.Core.Events.Formats;

/// <summary>The shape of an audit log input, as <see cref="AuditSource.DetectFormat"/> sees it from its first bytes.</summary>
public enum AuditLogFormat
{
    /// <summary>Nothing but whitespace (or nothing at all).</summary>
    Empty,

    /// <summary>One audit event per line: the API server's own log format (<c>--audit-log-format=json</c>).</summary>
    JsonLines,

    /// <summary>
    /// One JSON object per line that wraps the event: a CloudWatch Logs export or any collector's record
    /// (<c>message</c>), an Azure diagnostic record (<c>properties.log</c>), a Cloud Logging LogEntry
    /// (<c>protoPayload</c>), an OTLP/JSON export (<c>resourceLogs</c>), or an EventList/records batch on
    /// one line. Plain event lines may be mixed in.
    /// </summary>
    WrappedJsonLines,

    /// <summary>
    /// Pretty-printed JSON: a single event, a JSON array of events, an EventList, an Azure
    /// <c>{"records":[...]}</c> batch, or several such documents one after another.
    /// </summary>
    JsonDocument,

    /// <summary><c>--audit-log-format=legacy</c> text lines (<c>&lt;time&gt; AUDIT: id="..." ...</c>), including the pre-1.7 basic audit.</summary>
    LegacyText,

    /// <summary><c>&lt;timestamp&gt; &lt;event JSON&gt;</c> per line, as a CloudWatch Logs export to S3 writes it.</summary>
    TimestampedJsonLines,

    /// <summary>Not recognised; read line by line, so each line gets its own diagnostic.</summary>
    Unknown,
}
