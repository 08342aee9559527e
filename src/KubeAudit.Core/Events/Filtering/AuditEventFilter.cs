namespace KubeAudit.Core.Events.Filtering;

/// <summary>
/// Which events to keep. Dimensions are ANDed, values within one are ORed, an empty one keeps all.
/// <see cref="MayMatch"/> rules lines out from their bytes before anything is allocated;
/// <see cref="Matches"/> decides exactly on the parsed event.
/// </summary>
public sealed class AuditEventFilter
{
    private readonly Lazy<LinePrefilter> _prefilter;
    private readonly Lazy<Compiled> _compiled;

    /// <summary>Creates a filter; set the properties, then use it.</summary>
    public AuditEventFilter()
    {
        _compiled = new Lazy<Compiled>(() => new Compiled(this));
        _prefilter = new Lazy<LinePrefilter>(() => new LinePrefilter(this));
    }

    /// <summary>Verbs, exact (e.g. <c>create</c>).</summary>
    public IReadOnlyList<string> Verbs { get; init; } = [];

    /// <summary>Authenticated user names; wildcards, case-insensitive.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Groups of the authenticated user; wildcards, case-insensitive; any group may match.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Resources: <c>pods</c> (any subresource), <c>pods/exec</c>, <c>*/exec</c>; wildcards, case-insensitive.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Users and Groups also match the impersonated user (the subject RBAC authorized).</summary>
    public bool IncludeImpersonated { get; init; }

    /// <summary>Namespaces; wildcards, case-insensitive.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Object names; wildcards, case-insensitive.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>Levels, exact (<c>Metadata</c>, <c>Request</c>, <c>RequestResponse</c>).</summary>
    public IReadOnlyList<string> Levels { get; init; } = [];

    /// <summary>Stages, exact.</summary>
    public IReadOnlyList<string> Stages { get; init; } = [];

    /// <summary>HTTP status codes.</summary>
    public IReadOnlyList<int> StatusCodes { get; init; } = [];

    /// <summary>Keep events received at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Keep events received at or before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Audit IDs, exact.</summary>
    public IReadOnlyList<string> AuditIds { get; init; } = [];

    /// <summary>Whether the filter keeps everything.</summary>
    public bool IsEmpty =>
        Verbs.Count == 0 && Users.Count == 0 && Groups.Count == 0 && Resources.Count == 0 && Namespaces.Count == 0
        && Names.Count == 0 && Levels.Count == 0 && Stages.Count == 0 && StatusCodes.Count == 0
        && Since is null && Until is null && AuditIds.Count == 0;

    /// <summary>False only when the JSON line certainly holds no matching event.</summary>
    public bool MayMatch(ReadOnlySpan<byte> line) => _prefilter.Value.MayMatch(line);

    /// <summary>Whether the event is kept.</summary>
    public bool Matches(AuditEvent e)
    {
        var c = _compiled.Value;
        return (c.Verbs is null || (e.Verb is not null && c.Verbs.Contains(e.Verb)))
            && (c.Levels is null || (e.Level is not null && c.Levels.Contains(e.Level)))
            && (c.Stages is null || (e.Stage is not null && c.Stages.Contains(e.Stage)))
            && (c.AuditIds is null || (e.AuditId is not null && c.AuditIds.Contains(e.AuditId)))
            && (c.StatusCodes is null || (e.Code is { } code && c.StatusCodes.Contains(code)))
            && (c.Users is null || AnyMatch(c.Users, e.Username) || (IncludeImpersonated && AnyMatch(c.Users, e.ImpersonatedUser?.Username)))
            && (c.Groups is null || e.User.Groups.Any(g => AnyMatch(c.Groups, g))
                || (IncludeImpersonated && e.ImpersonatedUser is { } i && i.Groups.Any(g => AnyMatch(c.Groups, g))))
            && (c.Namespaces is null || AnyMatch(c.Namespaces, e.Namespace))
            && (c.Names is null || AnyMatch(c.Names, e.Name))
            && (c.Resources is null || MatchesResource(c.Resources, e.ObjectRef))
            && InTimeRange(e);
    }

    private bool InTimeRange(AuditEvent e)
    {
        if (Since is null && Until is null)
        {
            return true;
        }

        var at = e.RequestReceivedTimestamp ?? e.StageTimestamp;
        return at is { } t && (Since is null || t >= Since) && (Until is null || t <= Until);
    }

    private static bool AnyMatch(Glob[] globs, string? value)
    {
        foreach (var glob in globs)
        {
            if (glob.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesResource(Glob[] globs, ObjectReference? target)
    {
        if (target is null)
        {
            return false;
        }

        foreach (var glob in globs)
        {
            // "pods" names the resource whatever the subresource; "pods/exec" and "*/exec" name the pair.
            if (glob.IsMatch(glob.Pattern.Contains('/') ? target.ResourcePath : target.Resource))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Compiled(AuditEventFilter f)
    {
        public HashSet<string>? Verbs { get; } = Set(f.Verbs);

        public HashSet<string>? Levels { get; } = Set(f.Levels);

        public HashSet<string>? Stages { get; } = Set(f.Stages);

        public HashSet<string>? AuditIds { get; } = Set(f.AuditIds);

        public HashSet<int>? StatusCodes { get; } = f.StatusCodes.Count == 0 ? null : [.. f.StatusCodes];

        public Glob[]? Users { get; } = Globs(f.Users);

        public Glob[]? Groups { get; } = Globs(f.Groups);

        public Glob[]? Namespaces { get; } = Globs(f.Namespaces);

        public Glob[]? Names { get; } = Globs(f.Names);

        public Glob[]? Resources { get; } = Globs(f.Resources);

        private static HashSet<string>? Set(IReadOnlyList<string> values) => values.Count == 0 ? null : new HashSet<string>(values, StringComparer.Ordinal);

        private static Glob[]? Globs(IReadOnlyList<string> values) => values.Count == 0 ? null : values.Select(v => new Glob(v)).ToArray();
    }
}
