using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KubeAudit.Core.Stores.ClickHouse;

/// <summary>Writes events as JSONEachRow rows of the <see cref="ClickHouseSchema"/> table, one per line.</summary>
[SuppressMessage("Design", "CA1001", Justification = "The writer writes to an ArrayBufferWriter in memory; it holds no unmanaged resource.")]
internal sealed class ClickHouseRows
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private readonly Utf8JsonWriter _writer;

    public ClickHouseRows() => _writer = new Utf8JsonWriter(_buffer, s_options);

    /// <summary>The rows written since <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public void Clear() => _buffer.Clear();

    /// <summary>Appends one row; false (nothing appended) when the event cannot be written (e.g. its JSON is not valid UTF-8).</summary>
    public bool TryAdd(AuditEvent e, out string? problem)
    {
        var mark = _buffer.WrittenCount;
        try
        {
            Write(e);
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Utf8JsonWriter rejects invalid UTF-8; drop the half-written row.
            var kept = _buffer.WrittenMemory[..mark].ToArray();
            _buffer.Clear();
            _buffer.Write(kept);
            problem = ex.Message;
            return false;
        }
    }

    private void Write(AuditEvent e)
    {
        var w = _writer;
        w.Reset(_buffer);
        w.WriteStartObject();
        var time = e.RequestReceivedTimestamp ?? e.StageTimestamp;
        var seconds = time is { } t ? Math.Max(0, t.ToUnixTimeSeconds()) : 0;
        w.WriteString("time"u8, DateTime.UnixEpoch.AddSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        if (time is { } at)
        {
            w.WriteNumber("timeMicros"u8, ClickHouseSql.FloorMicros(at));
        }
        else
        {
            w.WriteNull("timeMicros"u8);
        }

        w.WriteString("auditID"u8, e.AuditId ?? string.Empty);
        w.WriteString("stage"u8, e.Stage ?? string.Empty);
        w.WriteString("id"u8, DocumentId.For(e));
        Nullable(w, "level"u8, e.Level);
        Nullable(w, "verb"u8, e.Verb);
        Nullable(w, "user"u8, e.Username);
        Array(w, "groups"u8, e.User.Groups);
        Nullable(w, "impersonatedUser"u8, e.ImpersonatedUser?.Username);
        Array(w, "impersonatedGroups"u8, e.ImpersonatedUser?.Groups);
        Nullable(w, "resource"u8, e.ObjectRef?.Resource);
        Nullable(w, "subresource"u8, e.ObjectRef?.Subresource);
        Nullable(w, "resourcePath"u8, e.ObjectRef?.ResourcePath);
        Nullable(w, "apiGroup"u8, e.ObjectRef?.ApiGroup);
        Nullable(w, "namespace"u8, e.Namespace);
        Nullable(w, "name"u8, e.Name);
        if (e.Code is { } code)
        {
            w.WriteNumber("code"u8, code);
        }
        else
        {
            w.WriteNull("code"u8);
        }

        Array(w, "sourceIPs"u8, e.SourceIPs);
        Nullable(w, "userAgent"u8, e.UserAgent);
        Nullable(w, "requestURI"u8, e.RequestUri);
        w.WriteString("source"u8, e.File ?? string.Empty);
        w.WriteNumber("line"u8, Math.Max(0, e.Line));
        w.WriteString("event"u8, e.GetUtf8Json().Span);
        w.WriteEndObject();
        w.Flush();
        _buffer.Write("\n"u8);
    }

    private static void Nullable(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void Array(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<string>? values)
    {
        w.WriteStartArray(name);
        if (values is not null)
        {
            foreach (var v in values)
            {
                w.WriteStringValue(v);
            }
        }

        w.WriteEndArray();
    }
}
