using System.Net;
using System.Security;

namespace KubeAudit.Commands;

/// <summary>A SecureString parameter's text, for the commands that must hand it on as plain text (a token in a file, a header, a store's API key).</summary>
internal static class SecretText
{
    /// <summary>The secret's characters, or null without one.</summary>
    public static string? Of(SecureString? secret) => secret is null ? null : new NetworkCredential(string.Empty, secret).Password;
}
