namespace KubeAudit.LogGenerator;

internal enum Outcome { Ok, Forbidden, NotFound, AlreadyExists, Conflict, Invalid, WebhookError, Panic, Unauthorized }

/// <summary>
/// One API request as the planner decided it; the event writer turns it into one to three
/// audit lines (RequestReceived, ResponseStarted, ResponseComplete/Panic). Reused between requests.
/// </summary>
internal sealed class Request
{
    public Actor Actor = null!;
    public Act Act = null!;
    public string? ImpersonatedUser;
    public string[] ImpersonatedGroups = [];

    public string Verb = "";
    public Res? Res;          // null for non-resource requests (/healthz, /metrics, /api ...)
    public string? Sub;
    public string? Ns;
    public string? Name;      // from the URL, or from a metadata.name field selector
    public string? BodyName;  // name a create body carries; audit fills objectRef.name from it
    public string? GenerateName;
    public string? GeneratedName; // the name the server gives a generateName object
    public PodInfo? Pod;
    public Workload? Workload;
    public string Uri = "";

    public string Level = "Metadata";
    public Outcome Outcome;
    public int Code;
    public string Decision = "";
    public string AuthzReason = "";
    public string StatusMessage = "";
    public string StatusReason = "";
    public string? CauseReason, CauseMessage, CauseField;

    public long Received;     // unix microseconds
    public long Started;      // ResponseStarted stage time (long-running requests)
    public long Completed;    // ResponseComplete / Panic stage time
    public bool LongRunning;
    public bool WithRequestReceived;
    public long LatencyNs;    // for apiserver.latency.k8s.io annotations; 0 = fast request
    public long Rv;           // resourceVersion after the request
    public long PrevRv;       // resourceVersion the client sent (updates)

    public bool IsResource => Res != null;
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
    public string User => ImpersonatedUser ?? Actor.Username;

    public void Reset()
    {
        ImpersonatedUser = null;
        ImpersonatedGroups = [];
        Res = null;
        Sub = Ns = Name = BodyName = GenerateName = GeneratedName = null;
        Pod = null;
        Workload = null;
        Uri = "";
        Outcome = Outcome.Ok;
        Code = 200;
        Decision = AuthzReason = StatusMessage = StatusReason = "";
        CauseReason = CauseMessage = CauseField = null;
        LongRunning = WithRequestReceived = false;
        LatencyNs = 0;
    }
}
