namespace KubeAudit.Core.Rbac;

/// <summary>
/// Compares granted RBAC with audit events: for each subject, how often and when each grant was used, which
/// grants were never used in the window, and which requests no grant allows. A request allowed by several
/// grants counts for each of them (the authorizer stops at the first it finds, in no defined order), so a
/// grant is only called unused when no request could have relied on it.
/// </summary>
public sealed class RbacUsageAnalyzer(RbacGrantIndex index, RbacSubject? subject)
{
    private readonly Dictionary<string, (AuditEvent Event, bool Denied)> _byAuditId = new(StringComparer.Ordinal);
    private readonly List<(AuditEvent Event, bool Denied)> _withoutId = [];
    private readonly Dictionary<string, SubjectState> _subjects = new(StringComparer.Ordinal);
    private bool _analyzed;
    private DateTimeOffset? _from;
    private DateTimeOffset? _to;

    /// <summary>The earliest event read.</summary>
    public DateTimeOffset? WindowStart => _from;

    /// <summary>The latest event read.</summary>
    public DateTimeOffset? WindowEnd => _to;

    /// <summary>Takes one event.</summary>
    public void Add(AuditEvent ev)
    {
        if (EventRequest.Time(ev) is { } time)
        {
            _from = _from is { } f && f <= time ? f : time;
            _to = _to is { } t && t >= time ? t : time;
        }

        var user = EventRequest.EffectiveUser(ev);
        if (subject is not null && !subject.Matches(user.Username ?? string.Empty, user.Groups) &&
            !(ev.ImpersonatedUser is not null && subject.Matches(ev.User.Username ?? string.Empty, ev.User.Groups)))
        {
            return;
        }

        // Each request once, whatever stages were logged; a later stage may alone carry the decision.
        var denied = EventRequest.IsDenied(ev);
        if (string.IsNullOrEmpty(ev.AuditId))
        {
            _withoutId.Add((ev, denied));
        }
        else if (_byAuditId.TryGetValue(ev.AuditId, out var seen))
        {
            _byAuditId[ev.AuditId] = (ev.Stage == "ResponseComplete" ? ev : seen.Event, seen.Denied || denied);
        }
        else
        {
            _byAuditId.Add(ev.AuditId, (ev, denied));
        }
    }

    private void Analyze(AuditEvent ev, bool denied)
    {
        var user = EventRequest.EffectiveUser(ev);
        if (EventRequest.From(ev) is { } request &&
            (subject is null || subject.Matches(user.Username ?? string.Empty, user.Groups)))
        {
            Analyze(ev, user, request, denied);
        }

        // The real user of an impersonated request was authorized to impersonate (a logged impersonatedUser
        // means it was allowed; the decision annotation is the request's own).
        if (ev.ImpersonatedUser is { Username.Length: > 0 } &&
            (subject is null || subject.Matches(ev.User.Username ?? string.Empty, ev.User.Groups)))
        {
            foreach (var impersonation in EventRequest.Impersonations(ev))
            {
                Analyze(ev, ev.User, impersonation, denied: false);
            }
        }
    }

    private void Analyze(AuditEvent ev, UserInfo user, RequestAttributes request, bool denied)
    {
        var name = user.Username ?? string.Empty;
        var key = subject?.ToString() ?? RbacSubject.User(name).ToString();
        if (!_subjects.TryGetValue(key, out var state))
        {
            _subjects[key] = state = new SubjectState();
        }

        var grants = subject is { Kind: RbacSubject.GroupKind } ? index.Naming(subject) : index.For(name, user.Groups);
        state.Grants.UnionWith(grants);
        var allowed = false;
        foreach (var grant in grants)
        {
            if (grant.Allows(request))
            {
                allowed = true;
                Use(state.Used, grant, ev, denied);
            }
        }

        if (!allowed && !AlwaysAllowed.Allows(request, name, user.Groups))
        {
            if (!state.Missing.TryGetValue(request, out var use))
            {
                state.Missing[request] = use = new RequestUse(request);
            }

            use.Add(ev, denied, keep: false);
        }
    }

    /// <summary>The rows: per subject (by name), its grants (by binding and rule) used or not, then the requests no grant allows.</summary>
    public IEnumerable<RbacPermissionUsage> Results()
    {
        if (!_analyzed)
        {
            _analyzed = true;
            foreach (var (ev, denied) in _byAuditId.Values.Concat(_withoutId))
            {
                Analyze(ev, denied);
            }
        }

        AddUnseenSubjects();
        foreach (var (name, state) in _subjects.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (subject is null && state.Grants.Count == 0)
            {
                continue; // no binding given names this user or its groups: its RBAC is not among the files
            }

            var ordered = state.Grants
                .OrderBy(g => g.Binding.Kind == RbacObject.RoleBinding)
                .ThenBy(g => g.Binding.Namespace, StringComparer.Ordinal)
                .ThenBy(g => g.Binding.Name, StringComparer.Ordinal)
                .ThenBy(g => g.RuleIndex);
            foreach (var grant in ordered)
            {
                var use = state.Used.GetValueOrDefault(grant);
                yield return new RbacPermissionUsage
                {
                    Subject = name,
                    Status = use is null ? RbacPermissionUsage.Unused : RbacPermissionUsage.Used,
                    Namespace = grant.Scope,
                    Binding = grant.Binding.ToString(),
                    Role = grant.Role.ToString(),
                    Permission = grant.Rule.Text,
                    Rule = grant.Rule,
                    Count = use?.Count ?? 0,
                    Denied = use?.Denied ?? 0,
                    FirstUsed = use?.First,
                    LastUsed = use?.Last,
                    WindowStart = _from,
                    WindowEnd = _to,
                };
            }

            foreach (var use in state.Missing.Values.OrderBy(u => u.Request.ToString(), StringComparer.Ordinal))
            {
                yield return new RbacPermissionUsage
                {
                    Subject = name,
                    Status = RbacPermissionUsage.Missing,
                    Namespace = use.Request.Namespace,
                    Permission = use.Request.ToString(),
                    Request = use.Request,
                    Count = use.Count,
                    Denied = use.Denied,
                    FirstUsed = use.First,
                    LastUsed = use.Last,
                    WindowStart = _from,
                    WindowEnd = _to,
                };
            }
        }
    }

    // Subjects bound but never seen in the window: every grant of theirs is unused (groups they may be in are unknown).
    private void AddUnseenSubjects()
    {
        var candidates = subject is not null
            ? [subject]
            : index.Grants.SelectMany(g => g.Binding.Subjects).Where(s => s.Kind != RbacSubject.GroupKind).Distinct();
        foreach (var candidate in candidates)
        {
            var key = candidate.ToString();
            if (_subjects.ContainsKey(key))
            {
                continue;
            }

            var state = new SubjectState();
            state.Grants.UnionWith(candidate.Kind == RbacSubject.GroupKind ? index.Naming(candidate) : index.For(candidate.UserName, []));
            _subjects[key] = state;
        }
    }

    private static void Use(Dictionary<RbacGrant, RequestUse> used, RbacGrant grant, AuditEvent ev, bool denied)
    {
        if (!used.TryGetValue(grant, out var use))
        {
            used[grant] = use = new RequestUse(new RequestAttributes());
        }

        use.Add(ev, denied, keep: false);
    }

    private sealed class SubjectState
    {
        public HashSet<RbacGrant> Grants { get; } = new(ReferenceEqualityComparer.Instance);

        public Dictionary<RbacGrant, RequestUse> Used { get; } = new(ReferenceEqualityComparer.Instance);

        public Dictionary<RequestAttributes, RequestUse> Missing { get; } = [];
    }
}
