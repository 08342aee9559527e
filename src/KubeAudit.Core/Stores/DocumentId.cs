using System.Security.Cryptography;

namespace KubeAudit.Core.Stores;

/// <summary>
/// The key that makes a re-send harmless: one event is one (auditID, stage) pair, so the store keys on both.
/// An event without an auditID (legacy or foreign producers) is keyed by a hash of its original JSON.
/// </summary>
public static class DocumentId
{
    /// <summary>The document id for <paramref name="e"/>: <c>auditID-stage</c>, or <c>sha256-...</c> of its JSON.</summary>
    public static string For(AuditEvent e)
    {
        if (!string.IsNullOrEmpty(e.AuditId))
        {
            return string.IsNullOrEmpty(e.Stage) ? e.AuditId : e.AuditId + "-" + e.Stage;
        }

        return "sha256-" + Convert.ToHexString(SHA256.HashData(e.GetUtf8Json().Span)).ToLowerInvariant();
    }
}
