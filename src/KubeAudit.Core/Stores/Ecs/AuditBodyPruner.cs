using System.Buffers;
using System.Text.Json;

namespace KubeAudit.Core.Stores.Ecs;

/// <summary>
/// Writes an event's own JSON as <c>kubernetes.audit</c>, changed the way Elastic's Kubernetes integration changes it:
/// <c>requestObject.metadata</c> and <c>responseObject.metadata</c> are dropped, annotation keys are de-dotted
/// (<c>authorization.k8s.io/decision</c> becomes <c>authorization_k8s_io/decision</c>), and every <c>null</c>,
/// <c>""</c>, <c>{}</c> and <c>[]</c> goes, at any depth. One exception, kept on purpose: <c>objectRef.apiGroup: ""</c>
/// (the core group), which the integration loses.
/// </summary>
/// <remarks>
/// Two passes over the bytes with <see cref="Utf8JsonReader"/>, no DOM: the first finds the containers that end up
/// empty (by where they start), the second writes, copying scalar tokens raw.
/// </remarks>
internal static class AuditBodyPruner
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    // Where the containers that end up empty start; reused per thread, cleared per event.
#pragma warning disable IDE1006 // t_ marks a [ThreadStatic] field, as the .NET runtime names them.
    [ThreadStatic]
    private static HashSet<long>? t_empty;
#pragma warning restore IDE1006

    private enum Scope
    {
        Other,
        Root,
        Body,
        ObjectRef,
        Annotations,
    }

    /// <summary>Writes the pruned event object as the writer's next value; false when nothing is left (an empty event).</summary>
    public static bool Write(ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        var empty = t_empty ??= new HashSet<long>();
        empty.Clear();
        var scan = new Utf8JsonReader(json, s_options);
        scan.Read();
        if (scan.TokenType != JsonTokenType.StartObject || !Scan(ref scan, Scope.Root, empty))
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, s_options);
        reader.Read();
        Copy(ref reader, json, writer, Scope.Root, empty);
        return true;
    }

    // Pass 1: whether the value at the reader survives pruning; containers that do not are recorded in `empty`.
    private static bool Scan(ref Utf8JsonReader reader, Scope scope, HashSet<long> empty)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return false;
            case JsonTokenType.String:
                return reader.ValueSpan.Length > 0;
            case JsonTokenType.StartObject:
            {
                var start = reader.TokenStartIndex;
                var any = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var (child, drop, keepEmpty) = Child(ref reader, scope);
                    reader.Read();
                    if (drop)
                    {
                        reader.Skip();
                        continue;
                    }

                    any |= Scan(ref reader, child, empty) || (keepEmpty && reader.TokenType == JsonTokenType.String);
                }

                if (!any)
                {
                    empty.Add(start);
                }

                return any;
            }

            case JsonTokenType.StartArray:
            {
                var start = reader.TokenStartIndex;
                var any = false;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    any |= Scan(ref reader, Scope.Other, empty);
                }

                if (!any)
                {
                    empty.Add(start);
                }

                return any;
            }

            default:
                return true; // numbers, true, false
        }
    }

    // Pass 2: writes the value at the reader (known to survive).
    private static void Copy(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer, Scope scope, HashSet<long> empty)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                writer.WriteStartObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var (child, drop, keepEmpty) = Child(ref reader, scope);
                    var nameReader = reader;
                    reader.Read();
                    if (drop || !Survives(ref reader, empty, keepEmpty))
                    {
                        reader.Skip();
                        continue;
                    }

                    WriteName(ref nameReader, writer, scope == Scope.Annotations);
                    Copy(ref reader, json, writer, child, empty);
                }

                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!Survives(ref reader, empty, keepEmpty: false))
                    {
                        reader.Skip();
                        continue;
                    }

                    Copy(ref reader, json, writer, Scope.Other, empty);
                }

                writer.WriteEndArray();
                break;
            case JsonTokenType.String:
                // The token as written, quotes and escapes included: already valid JSON.
                writer.WriteRawValue(json.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2), skipInputValidation: true);
                break;
            default:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
        }
    }

    private static bool Survives(ref Utf8JsonReader reader, HashSet<long> empty, bool keepEmpty) => reader.TokenType switch
    {
        JsonTokenType.Null => false,
        JsonTokenType.String => keepEmpty || reader.ValueSpan.Length > 0,
        JsonTokenType.StartObject or JsonTokenType.StartArray => !empty.Contains(reader.TokenStartIndex),
        _ => true,
    };

    // What the member named at the reader is: its scope, whether it is dropped, whether an empty string is kept.
    private static (Scope Child, bool Drop, bool KeepEmpty) Child(ref Utf8JsonReader reader, Scope scope) => scope switch
    {
        Scope.Root when reader.ValueTextEquals("requestObject"u8) || reader.ValueTextEquals("responseObject"u8) => (Scope.Body, false, false),
        Scope.Root when reader.ValueTextEquals("objectRef"u8) => (Scope.ObjectRef, false, false),
        Scope.Root when reader.ValueTextEquals("annotations"u8) => (Scope.Annotations, false, false),
        Scope.Body when reader.ValueTextEquals("metadata"u8) => (Scope.Other, true, false),
        Scope.ObjectRef when reader.ValueTextEquals("apiGroup"u8) => (Scope.Other, false, true),
        _ => (Scope.Other, false, false),
    };

    private static void WriteName(ref Utf8JsonReader reader, Utf8JsonWriter writer, bool dedot)
    {
        if (!reader.ValueIsEscaped && !dedot)
        {
            writer.WritePropertyName(reader.ValueSpan);
            return;
        }

        var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = reader.CopyString(rented);
            var name = rented.AsSpan(0, written);
            if (dedot)
            {
                name.Replace((byte)'.', (byte)'_');
            }

            writer.WritePropertyName(name);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
