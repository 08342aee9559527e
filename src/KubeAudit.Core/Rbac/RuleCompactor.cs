namespace KubeAudit.Core.Rbac;

/// <summary>
/// Groups single permissions into rules as audit2rbac's compactRules does, but in a fixed order: verbs per
/// (group, resource, name); names per (group, resource, verbs); resources per (group, verbs, names). Never
/// across API groups. Non-resource URLs stay one rule per URL. Rules sorted as audit2rbac sorts them (by
/// API groups, then compact form): core group, non-resource URLs, then the other groups.
/// </summary>
internal static class RuleCompactor
{
    public static List<(PolicyRule Rule, IReadOnlyList<RequestUse> Sources)> Compact(
        IEnumerable<KeyValuePair<ResourceAtom, List<RequestUse>>> atoms,
        SortedDictionary<string, SortedDictionary<string, List<RequestUse>>>? urls)
    {
        var verbsOf = new Dictionary<(string Group, string Resource, string Name), (SortedSet<string> Verbs, List<RequestUse> Sources)>();
        foreach (var (atom, sources) in atoms)
        {
            var key = (atom.ApiGroup, atom.Resource, atom.Name);
            if (!verbsOf.TryGetValue(key, out var entry))
            {
                verbsOf[key] = entry = (new SortedSet<string>(StringComparer.Ordinal), []);
            }

            entry.Verbs.Add(atom.Verb);
            entry.Sources.AddRange(sources);
        }

        var rules = new List<(PolicyRule, IReadOnlyList<RequestUse>)>();
        var byNames = verbsOf
            .GroupBy(e => (e.Key.Group, e.Key.Resource, Verbs: string.Join(",", e.Value.Verbs)))
            .Select(g => (g.Key.Group, g.Key.Resource, Verbs: g.First().Value.Verbs,
                Names: g.Any(e => e.Key.Name.Length == 0) ? [] : g.Select(e => e.Key.Name).Order(StringComparer.Ordinal).ToArray(),
                Sources: g.SelectMany(e => e.Value.Sources)));
        foreach (var g in byNames.GroupBy(r => (r.Group, Verbs: string.Join(",", r.Verbs), Names: string.Join(",", r.Names))))
        {
            var first = g.First();
            var rule = new PolicyRule
            {
                ApiGroups = [first.Group],
                Resources = g.Select(r => r.Resource).Order(StringComparer.Ordinal).ToArray(),
                ResourceNames = first.Names,
                Verbs = first.Verbs.ToArray(),
            };
            rules.Add((rule, Distinct(g.SelectMany(r => r.Sources))));
        }

        foreach (var (url, verbs) in urls ?? [])
        {
            var rule = new PolicyRule { NonResourceUrls = [url], Verbs = verbs.Keys.ToArray() };
            rules.Add((rule, Distinct(verbs.Values.SelectMany(v => v))));
        }

        return rules
            .OrderBy(r => string.Join(",", r.Item1.ApiGroups), StringComparer.Ordinal)
            .ThenBy(r => r.Item1.ToString(), StringComparer.Ordinal)
            .ToList();
    }

    private static List<RequestUse> Distinct(IEnumerable<RequestUse> uses) =>
        uses.Distinct().OrderBy(u => u.Request.ToString(), StringComparer.Ordinal).ToList();
}
