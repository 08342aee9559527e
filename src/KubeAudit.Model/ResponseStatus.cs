namespace KubeAudit;

/// <summary>The response status of a request (a subset of metav1.Status).</summary>
public sealed class ResponseStatus
{
    /// <summary>HTTP status code.</summary>
    public int? Code { get; internal set; }

    /// <summary><c>Success</c> or <c>Failure</c>, when the server set it.</summary>
    public string? Status { get; internal set; }

    /// <summary>Machine-readable reason (e.g. <c>NotFound</c>, <c>Forbidden</c>).</summary>
    public string? Reason { get; internal set; }

    /// <summary>Human-readable message.</summary>
    public string? Message { get; internal set; }

    /// <summary>Status details (name, group, kind, causes), as raw JSON.</summary>
    public RawJson? Details { get => _details; internal set => _details = RawJson.Fit(value); }

    private RawJson? _details;

    /// <inheritdoc />
    public override string ToString() => Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
