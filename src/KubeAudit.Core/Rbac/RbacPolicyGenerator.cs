namespace KubeAudit.Core.Rbac;

/// <summary>
/// Builds the least RBAC that allows what one subject did in an audit log, as audit2rbac does (one Role and
/// RoleBinding per namespace, one ClusterRole and ClusterRoleBinding for cluster-scoped, all-namespace and
/// non-resource requests). Feed events with <see cref="Add"/>, then call <see cref="Build"/>; the result
/// depends only on the set of events, never on their order.
/// </summary>
public sealed class RbacPolicyGenerator(RbacSubject subject, RbacGeneratorOptions options)
{
    private readonly Dictionary<string, Entry> _byAuditId = new(StringComparer.Ordinal);
    private readonly List<Entry> _withoutId = [];
    private readonly Dictionary<string, AuditEvent> _impersonations = new(StringComparer.Ordinal);
    private readonly List<AuditEvent> _impersonationsWithoutId = [];

    /// <summary>Events of the subject seen (every stage).</summary>
    public int EventsMatched { get; private set; }

    /// <summary>Takes one event; returns whether it is the subject's (and not a further stage of one already taken).</summary>
    public bool Add(AuditEvent ev)
    {
        var impersonated = AddImpersonation(ev);
        var user = EventRequest.EffectiveUser(ev);
        if (!subject.Matches(user.Username ?? string.Empty, user.Groups))
        {
            return impersonated;
        }

        if (options.Namespace is { } ns && ev.ObjectRef?.Namespace != ns)
        {
            return false;
        }

        EventsMatched++;
        var denied = EventRequest.IsDenied(ev);
        if (string.IsNullOrEmpty(ev.AuditId))
        {
            _withoutId.Add(new Entry(ev, denied, options.CollectEvidence));
            return true;
        }

        if (_byAuditId.TryGetValue(ev.AuditId, out var seen))
        {
            // A later stage of the same request: it alone may carry the decision; prefer its copy as evidence.
            seen.Denied |= denied;
            if (ev.Stage == "ResponseComplete")
            {
                seen.Take(ev, options.CollectEvidence);
            }

            return false;
        }

        _byAuditId.Add(ev.AuditId, new Entry(ev, denied, options.CollectEvidence));
        return true;
    }

    // The subject impersonated someone: before the request itself (the impersonated user's), kube-apiserver
    // authorized "impersonate" for the subject. audit2rbac never grants it. Each event once, as for requests.
    private bool AddImpersonation(AuditEvent ev)
    {
        if (ev.ImpersonatedUser is not { Username.Length: > 0 } || !subject.Matches(ev.User.Username ?? string.Empty, ev.User.Groups))
        {
            return false;
        }

        if (string.IsNullOrEmpty(ev.AuditId))
        {
            _impersonationsWithoutId.Add(ev);
        }
        else if (!_impersonations.TryAdd(ev.AuditId, ev))
        {
            return false;
        }

        EventsMatched++;
        return true;
    }

    /// <summary>The roles and bindings for what was added.</summary>
    public RbacPolicy Build()
    {
        var uses = CollectRequests(out var from, out var to, out var count);
        var resourceUses = uses.Values.Where(u => u.Request.IsResourceRequest).ToList();
        var atoms = new Dictionary<ResourceAtom, List<RequestUse>>();
        foreach (var (use, ns, name) in Widen(resourceUses))
        {
            foreach (var verb in options.ExactVerbs ? [use.Request.Verb] : VerbExpansion.Expand(use.Request.Verb))
            {
                var atom = new ResourceAtom(ns, use.Request.ApiGroup, use.Request.ResourcePath, name, verb);
                Sources(atoms, atom).Add(use);
            }
        }

        RemoveCovered(atoms);
        var urls = new SortedDictionary<string, SortedDictionary<string, List<RequestUse>>>(StringComparer.Ordinal);
        foreach (var use in uses.Values.Where(u => !u.Request.IsResourceRequest))
        {
            if (!urls.TryGetValue(use.Request.Path, out var verbs))
            {
                urls[use.Request.Path] = verbs = new(StringComparer.Ordinal);
            }

            if (!verbs.TryGetValue(use.Request.Verb, out var list))
            {
                verbs[use.Request.Verb] = list = [];
            }

            list.Add(use);
        }

        return Assemble(atoms, urls, from, to, count);
    }

    private Dictionary<RequestAttributes, RequestUse> CollectRequests(out DateTimeOffset? from, out DateTimeOffset? to, out int count)
    {
        from = null;
        to = null;
        count = 0;
        var uses = new Dictionary<RequestAttributes, RequestUse>();
        foreach (var entry in _byAuditId.Values.Concat(_withoutId))
        {
            if (entry.Denied && options.ExcludeDenied || entry.Request is not { } request || entry.AlwaysAllowed)
            {
                continue;
            }

            count++;
            if (entry.Time is { } time)
            {
                from = from is { } f && f <= time ? f : time;
                to = to is { } t && t >= time ? t : time;
            }

            if (!uses.TryGetValue(request, out var use))
            {
                uses[request] = use = new RequestUse(request);
            }

            use.Add(entry.Time, entry.Event, entry.Denied, options.CollectEvidence);
        }

        // A logged impersonatedUser means impersonation was allowed; the decision annotation is the request's own.
        foreach (var ev in _impersonations.Values.Concat(_impersonationsWithoutId))
        {
            var requests = EventRequest.Impersonations(ev).Where(r => options.Namespace is not { } ns || r.Namespace == ns).ToList();
            if (requests.Count == 0)
            {
                continue;
            }

            count++;
            if (EventRequest.Time(ev) is { } time)
            {
                from = from is { } f && f <= time ? f : time;
                to = to is { } t && t >= time ? t : time;
            }

            foreach (var request in requests)
            {
                if (!uses.TryGetValue(request, out var use))
                {
                    uses[request] = use = new RequestUse(request);
                }

                use.Add(ev, false, options.CollectEvidence);
            }
        }

        return uses;
    }

    // audit2rbac: a request equal to another once names (with ExpandMultiName) and namespaces (with
    // ExpandMultiNamespace) are blanked drops its namespace if the other is in a different non-empty namespace,
    // and its name if the other has a different non-empty name. Unlike audit2rbac, the API version is not
    // compared: the authorizer never sees it.
    private IEnumerable<(RequestUse Use, string Namespace, string Name)> Widen(List<RequestUse> uses)
    {
        foreach (var group in uses.GroupBy(u => (u.Request.Verb, u.Request.ApiGroup, u.Request.ResourcePath)))
        {
            var namespaces = new HashSet<string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            var namespacesOfName = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var namesInNamespace = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var use in group)
            {
                var r = use.Request;
                if (r.Namespace.Length > 0)
                {
                    namespaces.Add(r.Namespace);
                    Set(namespacesOfName, r.Name).Add(r.Namespace);
                }

                if (r.Name.Length > 0)
                {
                    names.Add(r.Name);
                    Set(namesInNamespace, r.Namespace).Add(r.Name);
                }
            }

            foreach (var use in group)
            {
                var r = use.Request;
                var otherNamespaces = options.ExpandMultiName ? namespaces : namespacesOfName.GetValueOrDefault(r.Name);
                var widenNamespace = options.ExpandMultiNamespace && r.Namespace.Length > 0 && HasOther(otherNamespaces, r.Namespace);
                var otherNames = options.ExpandMultiNamespace ? names : namesInNamespace.GetValueOrDefault(r.Namespace);
                var widenName = options.ExpandMultiName && r.Name.Length > 0 && HasOther(otherNames, r.Name);
                yield return (use, widenNamespace ? string.Empty : r.Namespace, widenName ? string.Empty : r.Name);
            }
        }
    }

    // A rule for a name is not needed where the same verb is granted for any name; a namespace's rule is not
    // needed where the ClusterRole (bound cluster-wide) grants it. The covering atom takes over the evidence.
    private static void RemoveCovered(Dictionary<ResourceAtom, List<RequestUse>> atoms)
    {
        foreach (var atom in atoms.Keys.ToList())
        {
            var cover = atom;
            while (Cover(atoms, cover) is { } wider)
            {
                cover = wider;
            }

            if (cover != atom)
            {
                atoms[cover].AddRange(atoms[atom]);
                atoms.Remove(atom);
            }
        }
    }

    private static ResourceAtom? Cover(Dictionary<ResourceAtom, List<RequestUse>> atoms, ResourceAtom a)
    {
        ResourceAtom[] candidates =
        [
            a with { Name = string.Empty },
            a with { Namespace = string.Empty },
            a with { Namespace = string.Empty, Name = string.Empty },
        ];
        foreach (var c in candidates)
        {
            if (c != a && atoms.ContainsKey(c))
            {
                return c;
            }
        }

        return null;
    }

    private RbacPolicy Assemble(
        Dictionary<ResourceAtom, List<RequestUse>> atoms,
        SortedDictionary<string, SortedDictionary<string, List<RequestUse>>> urls,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int count)
    {
        var name = options.Name ?? DefaultName(subject);
        var annotations = Annotations(from, to, count);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["kubeaudit/generated"] = "true" };
        var roles = new List<RbacRole>();
        var bindings = new List<RbacBinding>();
        var evidence = new List<RuleEvidence>();
        var scopes = atoms.Keys.Select(a => a.Namespace).Where(n => n.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        if (atoms.Keys.Any(a => a.Namespace.Length == 0) || urls.Count > 0)
        {
            scopes.Add(string.Empty);
        }

        foreach (var ns in scopes)
        {
            var rules = RuleCompactor.Compact(atoms.Where(a => a.Key.Namespace == ns), ns.Length == 0 ? urls : null);
            var cluster = ns.Length == 0;
            var role = new RbacRole
            {
                Kind = cluster ? RbacObject.ClusterRole : RbacObject.Role,
                Name = name,
                Namespace = ns,
                Labels = labels,
                Annotations = annotations,
                Rules = rules.Select(r => r.Rule).ToList(),
            };
            roles.Add(role);
            bindings.Add(new RbacBinding
            {
                Kind = cluster ? RbacObject.ClusterRoleBinding : RbacObject.RoleBinding,
                Name = name,
                Namespace = ns,
                Labels = labels,
                Annotations = annotations,
                RoleKind = role.Kind,
                RoleName = name,
                Subjects = [subject],
            });
            evidence.AddRange(rules.Select(r => new RuleEvidence(role, r.Rule, r.Sources)));
        }

        return new RbacPolicy
        {
            Subject = subject,
            Roles = roles,
            Bindings = bindings,
            From = from,
            To = to,
            EventCount = count,
            Evidence = evidence,
        };
    }

    private SortedDictionary<string, string> Annotations(DateTimeOffset? from, DateTimeOffset? to, int count)
    {
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubeaudit/generator"] = options.Generator,
            ["kubeaudit/subject"] = subject.ToString(),
            ["kubeaudit/events"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (from is { } f && to is { } t)
        {
            annotations["kubeaudit/events-from"] = Utc(f);
            annotations["kubeaudit/events-to"] = Utc(t);
        }

        return annotations;
    }

    /// <summary>The time as written in annotations: UTC, ISO 8601, as precise as logged.</summary>
    public static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>audit2rbac's name: <c>kubeaudit:</c> and the user name, characters other than letters, digits and ':' as '-', lower case.</summary>
    public static string DefaultName(RbacSubject subject)
    {
        var raw = subject.Kind == RbacSubject.GroupKind ? "group:" + subject.Name : subject.UserName;
        var chars = raw.Select(c => char.IsAsciiLetterOrDigit(c) || c == ':' ? char.ToLowerInvariant(c) : '-').ToArray();
        return "kubeaudit:" + new string(chars);
    }

    private static bool HasOther(HashSet<string>? values, string self) =>
        values is not null && (values.Count > 1 || (values.Count == 1 && !values.Contains(self)));

    private static HashSet<string> Set(Dictionary<string, HashSet<string>> map, string key)
    {
        if (!map.TryGetValue(key, out var set))
        {
            map[key] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        return set;
    }

    private static List<RequestUse> Sources(Dictionary<ResourceAtom, List<RequestUse>> atoms, ResourceAtom atom)
    {
        if (!atoms.TryGetValue(atom, out var list))
        {
            atoms[atom] = list = [];
        }

        return list;
    }

    // What the rules need of one request, taken when it is added: the event itself only as evidence
    // (-Explain), so a large log's matched events are not all kept until Build.
    private sealed class Entry
    {
        public Entry(AuditEvent ev, bool denied, bool keepEvent)
        {
            Denied = denied;
            Take(ev, keepEvent);
        }

        public AuditEvent? Event { get; private set; }

        public bool Denied { get; set; }

        public RequestAttributes? Request { get; private set; }

        public bool AlwaysAllowed { get; private set; }

        public DateTimeOffset? Time { get; private set; }

        public void Take(AuditEvent ev, bool keepEvent)
        {
            Event = keepEvent ? ev : null;
            Request = EventRequest.From(ev);
            var user = EventRequest.EffectiveUser(ev);
            AlwaysAllowed = Request is { } request && Rbac.AlwaysAllowed.Allows(request, user.Username ?? string.Empty, user.Groups);
            Time = EventRequest.Time(ev);
        }
    }
}

/// <summary>One permission: a verb on a resource (or name) in a namespace ("" is the ClusterRole).</summary>
internal readonly record struct ResourceAtom(string Namespace, string ApiGroup, string Resource, string Name, string Verb);
