using System.Buffers;
using System.Globalization;
using System.Text;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Policy;

/// <summary>
/// What kube-apiserver's YAML reader (go-yaml) refuses before parsing anything, anywhere in the file,
/// comments included: invalid UTF-8, and characters outside YAML's printable set (NUL and the other C0
/// controls but tab, LF and CR; DEL; C1 controls but NEL; surrogates; U+FFFE and U+FFFF). Such a policy
/// stops the API server at start-up, so it is an error here, with the byte offset and line go-yaml gives.
/// </summary>
/// <remarks>A file starting with a UTF-16 byte-order mark is decoded as UTF-16, as go-yaml does, and its characters checked.</remarks>
public static class PolicyBytes
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Decodes a policy file's bytes (dropping a BOM); <paramref name="refused"/> says why the API server would not read them.</summary>
    public static string Decode(byte[] bytes, string? file, out Diagnostic? refused)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
            var text = reader.ReadToEnd();
            refused = Check(text, file);
            return text;
        }

        var start = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        refused = Check(bytes.AsSpan(start), start, file);
        return s_utf8.GetString(bytes, start, bytes.Length - start);
    }

    /// <summary>The first character of <paramref name="text"/> the API server refuses, as an InvalidYaml error; null when there is none.</summary>
    public static Diagnostic? Check(string text, string? file)
    {
        ArgumentNullException.ThrowIfNull(text);
        long offset = 0, line = 1, column = 1;
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
            {
                return Refused($"an unpaired surrogate U+{(int)text[i]:X4}", offset, line, column, file);
            }

            if (!Allowed(rune.Value))
            {
                return Refused("the control character " + Name(rune.Value), offset, line, column, file);
            }

            (line, column) = rune.Value == '\n' ? (line + 1, 1) : (line, column + 1);
            offset += rune.Utf8SequenceLength;
            i += used;
        }

        return null;
    }

    private static Diagnostic? Check(ReadOnlySpan<byte> bytes, int skipped, string? file)
    {
        long line = 1, column = 1;
        for (var i = 0; i < bytes.Length;)
        {
            var b = bytes[i];
            if (b < 0x80)
            {
                if (!Allowed(b))
                {
                    return Refused("the control character " + Name(b), i + skipped, line, column, file);
                }

                (line, column) = b == '\n' ? (line + 1, 1) : (line, column + 1);
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf8(bytes[i..], out var rune, out var used) != OperationStatus.Done)
            {
                return Refused($"invalid UTF-8 (byte 0x{b:X2})", i + skipped, line, column, file);
            }

            if (!Allowed(rune.Value))
            {
                return Refused("the control character " + Name(rune.Value), i + skipped, line, column, file);
            }

            column++;
            i += used;
        }

        return null;
    }

    // go-yaml's yaml_parser_update_buffer: tab, LF, CR, printable ASCII, NEL, and the BMP and beyond minus surrogates, U+FFFE, U+FFFF.
    private static bool Allowed(int c) =>
        c is 0x09 or 0x0A or 0x0D or (>= 0x20 and <= 0x7E) or 0x85 or (>= 0xA0 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    private static string Name(int c) => c == 0 ? "U+0000 (NUL)" : "U+" + c.ToString("X4", CultureInfo.InvariantCulture);

    private static Diagnostic Refused(string what, long offset, long line, long column, string? file) => new(
        DiagnosticCodes.InvalidYaml,
        DiagnosticSeverity.Error,
        $"kube-apiserver's YAML reader refuses {what} at byte offset {offset.ToString(CultureInfo.InvariantCulture)} (line {line.ToString(CultureInfo.InvariantCulture)}); the API server would not start with this policy. Remove or replace it.",
        file,
        line,
        column);
}
