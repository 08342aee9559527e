namespace KubeAudit.Core.Policy;

/// <summary>
/// Estimates what a policy would keep of an existing log: each event is resolved under the policy
/// and kept when its level is not None and its stage is not omitted. A kept event keeps its bytes
/// less the bodies its new level drops; bodies it was never logged with cannot be added.
/// </summary>
public sealed class PolicySizer
{
    // Dropping a body also drops its key and the comma before it.
    private static readonly int s_requestKeyBytes = ",\"requestObject\":".Length;
    private static readonly int s_responseKeyBytes = ",\"responseObject\":".Length;

    private readonly AuditPolicy _policy;
    private readonly LevelResolver _resolver;
    private readonly string[] _levels;
    private readonly string[][] _omitStages;
    private readonly string[] _noMatchOmitStages;
    private readonly Dictionary<string, Counts> _before = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Counts> _after = new(StringComparer.Ordinal);
    private readonly Dictionary<ResourceKey, Counts> _resources = [];
    private readonly Dictionary<string, Counts> _users = new(StringComparer.Ordinal);
    private long _eventsRead;
    private long _bytesRead;
    private long _eventsKept;
    private long _bytesKept;
    private long _droppedByLevel;
    private long _droppedByStage;
    private long _underLogged;

    /// <summary>Compiles <paramref name="policy"/> once for all the events to come.</summary>
    public PolicySizer(AuditPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _resolver = new LevelResolver(policy);

        // The resolver's decision copies its stage list every time; these are read-only here.
        _levels = policy.Rules.Select(r => r.Level ?? string.Empty).ToArray();
        _omitStages = policy.Rules.Select(r => AuditStages.Union(policy.OmitStages, r.OmitStages)).ToArray();
        _noMatchOmitStages = AuditStages.Union(policy.OmitStages, null);
    }

    /// <summary>Counts one logged event.</summary>
    public void Add(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        long size = auditEvent.GetUtf8Json().Length + 1;
        var request = AuditRequestMapper.FromEvent(auditEvent);
        var index = _resolver.MatchIndex(request);
        var level = index < 0 ? AuditLevels.None : _levels[index];
        var omitted = index < 0 ? _noMatchOmitStages : _omitStages[index];
        var resource = request.IsResourceRequest
            ? new ResourceKey(true, request.ApiGroup, request.Resource, request.Subresource)
            : new ResourceKey(false, string.Empty, request.Path, string.Empty);
        var user = auditEvent.User.Username ?? string.Empty;

        _eventsRead++;
        _bytesRead += size;
        Before(_before, auditEvent.Level ?? string.Empty, size);
        Before(_resources, resource, size);
        Before(_users, user, size);
        if (level == AuditLevels.None)
        {
            _droppedByLevel++;
            return;
        }

        if (auditEvent.Stage is { } stage && Array.IndexOf(omitted, stage) >= 0)
        {
            _droppedByStage++;
            return;
        }

        var kept = KeptBytes(auditEvent, size, AuditLevels.Ordinal(level));
        After(_after, level, kept);
        After(_resources, resource, kept);
        After(_users, user, kept);
    }

    /// <summary>The totals so far, with the <paramref name="top"/> largest resources and users.</summary>
    public PolicySizeReport Report(int top = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);

        // Known levels in their order; anything else a log may hold after them.
        var levels = _before.Keys.Union(_after.Keys)
            .OrderBy(l => AuditLevels.IsValid(l) ? AuditLevels.Ordinal(l) : 4).ThenBy(l => l, StringComparer.Ordinal)
            .Select(l => Row(LevelName(l), _before.GetValueOrDefault(l), _after.GetValueOrDefault(l)));
        return new PolicySizeReport
        {
            Policy = _policy.File,
            EventsRead = _eventsRead,
            BytesRead = _bytesRead,
            EventsKept = _eventsKept,
            BytesKept = _bytesKept,
            DroppedByLevel = _droppedByLevel,
            DroppedByStage = _droppedByStage,
            UnderLogged = _underLogged,
            ByLevel = [.. levels],
            ByResource = Top(_resources.Select(p => Row(p.Key.ToString(), p.Value, p.Value)), top),
            ByUser = Top(_users.Select(p => Row(p.Key.Length == 0 ? "(no user)" : p.Key, p.Value, p.Value)), top),
        };
    }

    private long KeptBytes(AuditEvent auditEvent, long size, int wanted)
    {
        _eventsKept++;
        if (wanted > AuditLevels.Ordinal(auditEvent.Level))
        {
            _underLogged++;
        }

        var kept = size;
        if (wanted < AuditLevels.Ordinal(AuditLevels.RequestResponse) && auditEvent.ResponseObject is { } response)
        {
            kept -= response.Length + s_responseKeyBytes;
        }

        if (wanted < AuditLevels.Ordinal(AuditLevels.Request) && auditEvent.RequestObject is { } request)
        {
            kept -= request.Length + s_requestKeyBytes;
        }

        _bytesKept += kept;
        return kept;
    }

    private static void Before<TKey>(Dictionary<TKey, Counts> table, TKey key, long bytes)
        where TKey : notnull
    {
        var counts = CountsOf(table, key);
        counts.EventsBefore++;
        counts.BytesBefore += bytes;
    }

    private static void After<TKey>(Dictionary<TKey, Counts> table, TKey key, long bytes)
        where TKey : notnull
    {
        var counts = CountsOf(table, key);
        counts.EventsAfter++;
        counts.BytesAfter += bytes;
    }

    private static Counts CountsOf<TKey>(Dictionary<TKey, Counts> table, TKey key)
        where TKey : notnull
    {
        if (!table.TryGetValue(key, out var counts))
        {
            counts = new Counts();
            table.Add(key, counts);
        }

        return counts;
    }

    private static string LevelName(string level) => level.Length == 0 ? "(no level)" : level;

    private static PolicySizeRow Row(string name, Counts? before, Counts? after) => new()
    {
        Name = name,
        EventsBefore = before?.EventsBefore ?? 0,
        BytesBefore = before?.BytesBefore ?? 0,
        EventsAfter = after?.EventsAfter ?? 0,
        BytesAfter = after?.BytesAfter ?? 0,
    };

    private static PolicySizeRow[] Top(IEnumerable<PolicySizeRow> rows, int top) =>
        [.. rows.OrderByDescending(r => r.BytesBefore).ThenBy(r => r.Name, StringComparer.Ordinal).Take(top)];

    private sealed class Counts
    {
        public long EventsBefore;
        public long EventsAfter;
        public long BytesBefore;
        public long BytesAfter;
    }

    // kubectl's notation: pods/exec, leases.coordination.k8s.io, deployments.apps/scale; a path for non-resource URLs.
    private readonly record struct ResourceKey(bool IsResource, string Group, string Resource, string Subresource)
    {
        public override string ToString() =>
            !IsResource ? (Resource.Length == 0 ? "(no path)" : Resource)
            : (Resource.Length == 0 ? "(no resource)" : Resource) + (Group.Length == 0 ? string.Empty : "." + Group) + (Subresource.Length == 0 ? string.Empty : "/" + Subresource);
    }
}
