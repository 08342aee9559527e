using System.Text;

namespace KubeAudit;

/// <summary>
/// One audit.k8s.io Event as the API server logged it, with flat conveniences for the pipeline
/// and the file and line it came from.
/// </summary>
public sealed class AuditEvent
{
    private static readonly IReadOnlyDictionary<string, string> s_noAnnotations = new AnnotationMap(new Dictionary<string, string>());
    private IReadOnlyDictionary<string, string> _annotations = s_noAnnotations;
    private ReadOnlyMemory<byte> _json;
    private RawJson? _requestObject;
    private RawJson? _responseObject;

    #region Event fields (audit.k8s.io/v1)

    /// <summary><c>Event</c>, or null when the line had no kind.</summary>
    public string? Kind { get; internal set; }

    /// <summary><c>audit.k8s.io/v1</c> (or v1beta1/v1alpha1 in old logs), or null when absent.</summary>
    public string? ApiVersion { get; internal set; }

    /// <summary>Audit level: None, Metadata, Request or RequestResponse.</summary>
    public string? Level { get; internal set; }

    /// <summary>Unique ID of the request; the same for each stage of one request.</summary>
    public string? AuditId { get; internal set; }

    /// <summary>RequestReceived, ResponseStarted, ResponseComplete or Panic.</summary>
    public string? Stage { get; internal set; }

    /// <summary>The request URI, path and query.</summary>
    public string? RequestUri { get; internal set; }

    /// <summary>Kubernetes verb (get, list, watch, create, ...), or the lower-cased HTTP method for non-resource requests.</summary>
    public string? Verb { get; internal set; }

    /// <summary>The authenticated user.</summary>
    public UserInfo User { get; internal set; } = new();

    /// <summary>The user impersonated, when the request impersonated one.</summary>
    public UserInfo? ImpersonatedUser { get; internal set; }

    /// <summary>Authentication details (Kubernetes 1.35+).</summary>
    public AuthenticationMetadata? AuthenticationMetadata { get; internal set; }

    /// <summary>Client addresses: X-Forwarded-For, X-Real-Ip, then the remote address.</summary>
    public StringList SourceIPs { get; internal set; } = [];

    /// <summary>The client's user agent.</summary>
    public string? UserAgent { get; internal set; }

    /// <summary>The object acted on; null for non-resource requests.</summary>
    public ObjectReference? ObjectRef { get; internal set; }

    /// <summary>The response status.</summary>
    public ResponseStatus? ResponseStatus { get; internal set; }

    /// <summary>The request body (level Request and above), kept raw; a RawJsonObject or RawJsonArray for an object or array.</summary>
    public RawJson? RequestObject { get => _requestObject; internal set => _requestObject = RawJson.Fit(value); }

    /// <summary>The response body (level RequestResponse), kept raw; a RawJsonObject or RawJsonArray for an object or array.</summary>
    public RawJson? ResponseObject { get => _responseObject; internal set => _responseObject = RawJson.Fit(value); }

    /// <summary>When the API server received the request.</summary>
    public DateTimeOffset? RequestReceivedTimestamp { get; internal set; }

    /// <summary>When the request reached this stage.</summary>
    public DateTimeOffset? StageTimestamp { get; internal set; }

    /// <summary>Annotations (authorization decision and reason, latency, admission, ...).</summary>
    /// <remarks>An <see cref="AnnotationMap"/>, which prints as <c>key=value</c> pairs.</remarks>
    public IReadOnlyDictionary<string, string> Annotations
    {
        get => _annotations;
        internal set => _annotations = value switch
        {
            AnnotationMap map => map,
            IDictionary<string, string> dictionary => new AnnotationMap(dictionary),
            _ => new AnnotationMap(value.ToDictionary(p => p.Key, p => p.Value)),
        };
    }

    #endregion

    #region Conveniences

    /// <summary>
    /// When it happened, in UTC: when the API server received the request, or the stage time when that is missing.
    /// The Time column of the default table shows this, to the second.
    /// </summary>
    public DateTimeOffset? Time => (RequestReceivedTimestamp ?? StageTimestamp)?.ToUniversalTime();

    /// <summary>The authenticated user's name.</summary>
    public string? Username => User.Username;

    /// <summary>The authenticated user's groups.</summary>
    public StringList Groups => User.Groups;

    /// <summary>The object's namespace.</summary>
    public string? Namespace => ObjectRef?.Namespace;

    /// <summary>The resource (without subresource).</summary>
    public string? Resource => ObjectRef?.Resource;

    /// <summary>The subresource, if any.</summary>
    public string? Subresource => ObjectRef?.Subresource;

    /// <summary>
    /// The resource with its subresource (<c>pods/exec</c>), or the URL path (without query) of a non-resource request:
    /// what the default table's ResourcePath column shows.
    /// </summary>
    public string? ResourcePath => ObjectRef?.ResourcePath ?? RequestUri?.Split('?', 2)[0];

    /// <summary>The object's name.</summary>
    public string? Name => ObjectRef?.Name;

    /// <summary>The HTTP status code of the response.</summary>
    public int? Code => ResponseStatus?.Code;

    /// <summary>The machine-readable reason of a failed response (<c>NotFound</c>, <c>Forbidden</c>), if any.</summary>
    public string? Reason => ResponseStatus?.Reason;

    /// <summary>The authorizer's decision (<c>allow</c> or <c>forbid</c>), from the <c>authorization.k8s.io/decision</c> annotation.</summary>
    public string? Decision => Annotations.TryGetValue("authorization.k8s.io/decision", out var decision) ? decision : null;

    /// <summary>Time from receiving the request to this stage.</summary>
    public TimeSpan? Latency => StageTimestamp - RequestReceivedTimestamp;

    #endregion

    #region Origin

    /// <summary>The file the event was read from, if any.</summary>
    public string? File { get; internal set; }

    /// <summary>The 1-based line the event starts on.</summary>
    public long Line { get; internal set; }

    /// <summary>Where the event was read, <c>file:line</c> (empty when it came from a string without a file).</summary>
    public string Location => File is null ? (Line > 0 ? "line " + Line : string.Empty) : File + ":" + Line;

    #endregion

    /// <summary>The event's JSON exactly as read, in UTF-8.</summary>
    public ReadOnlyMemory<byte> GetUtf8Json() => _json;

    /// <summary>The event's JSON exactly as read.</summary>
    public string ToJson() => Encoding.UTF8.GetString(_json.Span);

    internal void SetJson(ReadOnlyMemory<byte> json) => _json = json;

    /// <inheritdoc />
    public override string ToString() => $"{Verb} {RequestUri} {Username} {Code}".Trim();
}
