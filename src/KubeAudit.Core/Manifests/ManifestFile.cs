using System.Text;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Manifests;

/// <summary>Reads a manifest as text, remembering whether it began with a UTF-8 byte-order mark.</summary>
internal static class ManifestFile
{
    public static bool TryRead(string path, out string text, out Diagnostic? error)
    {
        error = null;
        try
        {
            text = Decode(File.ReadAllBytes(path));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            text = string.Empty;
            error = new Diagnostic(DiagnosticCodes.ReadFailed, DiagnosticSeverity.Error, ex.Message, path);
            return false;
        }
    }

    public static bool HasBom(byte[] bytes) => bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;

    public static string Decode(byte[] bytes) => HasBom(bytes) ? Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3) : Encoding.UTF8.GetString(bytes);

    public static byte[] Encode(string text, bool bom)
    {
        var body = Encoding.UTF8.GetBytes(text);
        return bom ? [0xEF, 0xBB, 0xBF, .. body] : body;
    }
}
