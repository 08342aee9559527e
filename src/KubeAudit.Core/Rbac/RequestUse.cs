namespace KubeAudit.Core.Rbac;

/// <summary>How often one distinct request was made, when, and (when kept) by which events.</summary>
public sealed class RequestUse(RequestAttributes request)
{
    private List<AuditEvent>? _events;

    /// <summary>The request.</summary>
    public RequestAttributes Request { get; } = request;

    /// <summary>Events (distinct audit IDs) that made it.</summary>
    public int Count { get; private set; }

    /// <summary>How many of them were denied.</summary>
    public int Denied { get; private set; }

    /// <summary>The earliest time seen.</summary>
    public DateTimeOffset? First { get; private set; }

    /// <summary>The latest time seen.</summary>
    public DateTimeOffset? Last { get; private set; }

    /// <summary>The events, when evidence was kept; else empty.</summary>
    public IReadOnlyList<AuditEvent> Events => (IReadOnlyList<AuditEvent>?)_events ?? [];

    internal void Add(AuditEvent ev, bool denied, bool keep) => Add(EventRequest.Time(ev), ev, denied, keep);

    internal void Add(DateTimeOffset? at, AuditEvent? ev, bool denied, bool keep)
    {
        Count++;
        if (denied)
        {
            Denied++;
        }

        if (at is { } time)
        {
            First = First is { } f && f <= time ? f : time;
            Last = Last is { } l && l >= time ? l : time;
        }

        if (keep && ev is not null)
        {
            (_events ??= []).Add(ev);
        }
    }
}
