using System.IO.Compression;

namespace KubeAudit.Core.Events;

/// <summary>
/// Writes events back as JSON lines: each event's JSON as it was read (a pretty-printed one put on one
/// line, its tokens unchanged), or its ECS document. A new file is written under a dot-prefixed temporary
/// name in the same folder and renamed into place on <see cref="Commit"/>, so a failed or stopped export
/// never leaves a half-written log behind (nor replaces a good one). Appending writes straight onto the
/// end of the file: what was appended before a failure stays.
/// </summary>
public sealed class AuditLogWriter : IDisposable
{
    private readonly string _path;
    private readonly string? _temporaryPath;
    private readonly FileStream _file;
    private readonly Stream _stream;
    private bool _committed;
    private System.Buffers.ArrayBufferWriter<byte>? _ecsBuffer;
    private System.Text.Json.Utf8JsonWriter? _ecsWriter;

    private AuditLogWriter(string path, string? temporaryPath, FileStream file, bool compress)
    {
        _path = path;
        _temporaryPath = temporaryPath;
        _file = file;
        _stream = compress ? new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true) : file;
    }

    /// <summary>Events written so far.</summary>
    public long Count { get; private set; }

    /// <summary>
    /// Starts writing <paramref name="path"/>. With <paramref name="append"/>, events go straight onto the end
    /// of the file (a gzip member is appended when compressing; gzip readers read members in sequence).
    /// </summary>
    public static AuditLogWriter Create(string path, bool compress, bool append)
    {
        if (append)
        {
            return new AuditLogWriter(path, null, new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), compress);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        return new AuditLogWriter(path, temporary, new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None), compress);
    }

    /// <summary>Writes the event's original JSON and a newline.</summary>
    public void Write(AuditEvent ev)
    {
        var json = ev.GetUtf8Json();
        if (json.IsEmpty)
        {
            throw new InvalidOperationException($"The event {ev.AuditId} has no JSON to write.");
        }

        var span = json.Span;
        if (span.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            // A pretty-printed event: one line per event is what makes JSON lines.
            span = JsonMinifier.Minify(span);
        }

        _stream.Write(span);
        _stream.WriteByte((byte)'\n');
        Count++;
    }

    /// <summary>
    /// Writes the event as one ECS document (Elastic's <c>kubernetes.audit_logs</c> shape) and a newline; with
    /// <paramref name="includeOriginal"/> the event's JSON goes into <c>event.original</c>.
    /// </summary>
    public void WriteEcs(AuditEvent ev, bool includeOriginal)
    {
        _ecsBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(4096);
        _ecsBuffer.ResetWrittenCount();
        if (_ecsWriter is null)
        {
            _ecsWriter = new System.Text.Json.Utf8JsonWriter(_ecsBuffer, Stores.Ecs.EcsDocument.WriterOptions);
        }
        else
        {
            _ecsWriter.Reset(_ecsBuffer);
        }

        Stores.Ecs.EcsDocument.Write(ev, _ecsWriter, includeOriginal);
        _ecsWriter.Flush();
        _stream.Write(_ecsBuffer.WrittenSpan);
        _stream.WriteByte((byte)'\n');
        Count++;
    }

    /// <summary>Finishes the file and puts it in place.</summary>
    public void Commit()
    {
        _stream.Flush();
        if (!ReferenceEquals(_stream, _file))
        {
            _stream.Dispose();
        }

        _file.Flush(flushToDisk: true);
        _file.Dispose();
        if (_temporaryPath is not null)
        {
            File.Move(_temporaryPath, _path, overwrite: true);
        }

        _committed = true;
    }

    /// <summary>Closes the file; without <see cref="Commit"/>, a new file is removed and the target left as it was.</summary>
    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        _stream.Dispose();
        _file.Dispose();
        if (_temporaryPath is not null && File.Exists(_temporaryPath))
        {
            File.Delete(_temporaryPath);
        }
    }
}
