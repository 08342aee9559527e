namespace KubeAudit.Core.Policy;

/// <summary>The four audit levels and their order (the API server's <c>ordLevel</c>).</summary>
public static class AuditLevels
{
    /// <summary>No event.</summary>
    public const string None = nameof(None);

    /// <summary>Metadata, no bodies.</summary>
    public const string Metadata = nameof(Metadata);

    /// <summary>Metadata and the request body.</summary>
    public const string Request = nameof(Request);

    /// <summary>Metadata, request and response bodies.</summary>
    public const string RequestResponse = nameof(RequestResponse);

    /// <summary>The valid levels, in the order validation messages list them.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Metadata, Request, RequestResponse];

    /// <summary>Whether <paramref name="level"/> is valid (case-sensitive).</summary>
    public static bool IsValid(string? level) => level is None or Metadata or Request or RequestResponse;

    /// <summary>None or unknown = 0, Metadata = 1, Request = 2, RequestResponse = 3.</summary>
    public static int Ordinal(string? level) => level switch
    {
        Metadata => 1,
        Request => 2,
        RequestResponse => 3,
        _ => 0,
    };
}
