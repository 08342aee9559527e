using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KubeAudit.Core.Stores.ClickHouse;

/// <summary>
/// Writes events as RowBinary rows of the <see cref="ClickHouseSchema"/> table (columns in <see cref="ClickHouseSchema.Columns"/>
/// order). RowBinary rather than JSONEachRow: the event's JSON goes in as its bytes, length-prefixed, with no escaping on
/// our side and no JSON parsing on the server's, which was most of the cost of a send. 18.16 and current releases read it.
/// </summary>
internal sealed class ClickHouseRows
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);

    /// <summary>The rows written since <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public void Clear() => _buffer.Clear();

    /// <summary>Appends one row; false (nothing appended) when the event cannot be written.</summary>
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
            // Drop the half-written row.
            var kept = _buffer.WrittenMemory[..mark].ToArray();
            _buffer.Clear();
            _buffer.Write(kept);
            problem = ex.Message;
            return false;
        }
    }

    private void Write(AuditEvent e)
    {
        var time = e.RequestReceivedTimestamp ?? e.StageTimestamp;
        var seconds = time is { } t ? Math.Clamp(t.ToUnixTimeSeconds(), 0, uint.MaxValue) : 0;
        UInt32((uint)seconds);
        if (time is { } at)
        {
            NotNull();
            UInt64(unchecked((ulong)ClickHouseSql.FloorMicros(at))); // two's complement: Int64's bytes
        }
        else
        {
            Null();
        }

        String(e.AuditId ?? string.Empty);
        String(e.Stage ?? string.Empty);
        String(DocumentId.For(e));
        Nullable(e.Level);
        Nullable(e.Verb);
        Nullable(e.Username);
        Array(e.User.Groups);
        Nullable(e.ImpersonatedUser?.Username);
        Array(e.ImpersonatedUser?.Groups);
        Nullable(e.ObjectRef?.Resource);
        Nullable(e.ObjectRef?.Subresource);
        Nullable(e.ObjectRef?.ResourcePath);
        Nullable(e.ObjectRef?.ApiGroup);
        Nullable(e.Namespace);
        Nullable(e.Name);
        if (e.Code is { } code)
        {
            NotNull();
            UInt32(unchecked((uint)code)); // two's complement: Int32's bytes
        }
        else
        {
            Null();
        }

        Array(e.SourceIPs);
        Nullable(e.UserAgent);
        Nullable(e.RequestUri);
        String(e.File ?? string.Empty);
        UInt64((ulong)Math.Max(0, e.Line));
        Bytes(e.GetUtf8Json().Span);
    }

    private void Null() => Byte(1);

    private void NotNull() => Byte(0);

    private void Byte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }

    private void UInt32(uint v)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), v);
        _buffer.Advance(4);
    }

    private void UInt64(ulong v)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), v);
        _buffer.Advance(8);
    }

    // LEB128, as RowBinary prefixes string lengths and array sizes.
    private void VarUInt(ulong v)
    {
        var span = _buffer.GetSpan(10);
        var n = 0;
        while (v >= 0x80)
        {
            span[n++] = (byte)(v | 0x80);
            v >>= 7;
        }

        span[n++] = (byte)v;
        _buffer.Advance(n);
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        VarUInt((ulong)bytes.Length);
        _buffer.Write(bytes);
    }

    // Strings go in as UTF-8 (a lone surrogate becomes U+FFFD, as anywhere .NET encodes text).
    private void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        VarUInt((ulong)length);
        var span = _buffer.GetSpan(length);
        _buffer.Advance(Encoding.UTF8.GetBytes(value, span));
    }

    private void Nullable(string? value)
    {
        if (value is null)
        {
            Null();
        }
        else
        {
            NotNull();
            String(value);
        }
    }

    private void Array(StringList? values)
    {
        VarUInt((ulong)(values?.Count ?? 0));
        if (values is not null)
        {
            foreach (var v in values)
            {
                String(v);
            }
        }
    }
}
