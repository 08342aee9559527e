namespace KubeAudit.Core.Policy;

/// <summary>
/// Turns a logged event back into the request attributes the API server evaluated its policy
/// against (audit spec §2.8). Exact except where the server filled objectRef from the body (§2.7).
/// </summary>
public static class AuditRequestMapper
{
    /// <summary>The request attributes of a logged event.</summary>
    public static AuditRequest FromEvent(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);

        // "user": {} is what a failed authentication logs; the policy saw no user at all then.
        var user = e.User;
        var hasUser = !string.IsNullOrEmpty(user.Username) || user.Groups.Length > 0;
        var obj = e.ObjectRef;
        return new AuditRequest
        {
            User = hasUser ? user.Username ?? string.Empty : null,
            Groups = hasUser ? user.Groups : [],
            Verb = e.Verb ?? string.Empty,
            IsResourceRequest = obj is not null,

            // The parser already split v1alpha1's "group/version" into ApiGroup and ApiVersion.
            Namespace = obj?.Namespace ?? string.Empty,
            ApiGroup = obj?.ApiGroup ?? string.Empty,
            ApiVersion = obj?.ApiVersion ?? string.Empty,
            Resource = obj?.Resource ?? string.Empty,
            Subresource = obj?.Subresource ?? string.Empty,
            Name = obj?.Name ?? string.Empty,
            Path = PathOf(e.RequestUri),
        };
    }

    /// <summary>
    /// The server matched <c>req.URL.Path</c>: the request URI without its query, percent-decoded.
    /// The log keeps the escaped form, so undo it here.
    /// </summary>
    internal static string PathOf(string? requestUri)
    {
        if (string.IsNullOrEmpty(requestUri))
        {
            return string.Empty;
        }

        var query = requestUri.IndexOf('?');
        var path = query < 0 ? requestUri : requestUri[..query];
        return path.Contains('%') ? Uri.UnescapeDataString(path) : path;
    }
}
