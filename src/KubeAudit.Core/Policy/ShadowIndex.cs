namespace KubeAudit.Core.Policy;

/// <summary>
/// Finds, for each rule, the first earlier rule that covers it (<see cref="RuleCoverage.Covers"/>)
/// without comparing every pair. An earlier rule can cover a later one only if it names the later
/// rule's first user (or has no users), its first verb (or has no verbs), and its first resource (or
/// matches every resource). Earlier rules are filed under those keys, in order; for each later rule the
/// smallest of the three candidate lists is walked in order, so the answer is the pairwise one.
/// </summary>
internal sealed class ShadowIndex
{
    private readonly Dimension _users = new();
    private readonly Dimension _verbs = new();
    private readonly Dimension _resources = new();

    /// <summary>The first earlier rule covering <paramref name="later"/>, or -1; then files it for the rules after it.</summary>
    public int FirstCovering(AuditPolicyRule[] rules, int later, CancellationToken cancel)
    {
        var rule = rules[later];
        var best = Smallest(
            _users.CandidatesFor(rule.Users),
            _verbs.CandidatesFor(rule.Verbs),
            RuleCoverage.KindOf(rule) == RuleKind.Resource ? _resources.Candidates(ResourceKey(rule)) : null);
        var found = -1;
        var steps = 0;
        foreach (var i in best ?? Enumerable.Range(0, later))
        {
            if ((++steps & 1023) == 0)
            {
                cancel.ThrowIfCancellationRequested();
            }

            if (RuleCoverage.Covers(rules[i], rule))
            {
                found = i;
                break;
            }
        }

        File(rule, later);
        return found;
    }

    private void File(AuditPolicyRule rule, int index)
    {
        _users.Add(rule.Users, index);
        _verbs.Add(rule.Verbs, index);
        switch (RuleCoverage.KindOf(rule))
        {
            case RuleKind.Any:
                _resources.AddWildcard(index);
                break;
            case RuleKind.Resource when rule.Resources.Length == 0 || rule.Resources.Any(g => g.Resources.Length == 0 || g.Resources.Any(r => r.StartsWith('*'))):
                _resources.AddWildcard(index);
                break;
            case RuleKind.Resource:
                _resources.Add(rule.Resources.SelectMany(g => g.Resources).Select(Base).Distinct(StringComparer.Ordinal).ToArray(), index);
                break;
        }
    }

    // The later rule's first resource, by the name before any '/'; null when it is a wildcard (then every earlier rule is a candidate).
    private static string? ResourceKey(AuditPolicyRule rule) =>
        rule.Resources.Length > 0 && rule.Resources[0].Resources is [var first, ..] && !first.StartsWith('*') ? Base(first) : Dimension.Unusable;

    private static string Base(string pattern) => pattern.IndexOf('/') is var slash and >= 0 ? pattern[..slash] : pattern;

    private static IEnumerable<int>? Smallest(params Candidates?[] lists)
    {
        Candidates? best = null;
        foreach (var list in lists)
        {
            if (list is { } l && (best is null || l.Count < best.Value.Count))
            {
                best = l;
            }
        }

        return best?.InOrder();
    }

    private readonly record struct Candidates(List<int> Wildcard, List<int>? Keyed)
    {
        public int Count => Wildcard.Count + (Keyed?.Count ?? 0);

        // Both lists ascend: merge them.
        public IEnumerable<int> InOrder()
        {
            int a = 0, b = 0;
            var keyed = Keyed ?? [];
            while (a < Wildcard.Count || b < keyed.Count)
            {
                yield return b >= keyed.Count || (a < Wildcard.Count && Wildcard[a] < keyed[b]) ? Wildcard[a++] : keyed[b++];
            }
        }
    }

    private sealed class Dimension
    {
        public const string? Unusable = null;

        private readonly List<int> _wildcard = [];
        private readonly Dictionary<string, List<int>> _byKey = new(StringComparer.Ordinal);

        // Rules with an empty list match every value of this dimension; a later rule with none can only be covered by those.
        public Candidates CandidatesFor(string[] later) => new(_wildcard, later.Length == 0 ? null : _byKey.GetValueOrDefault(later[0]) ?? []);

        public Candidates? Candidates(string? key) => key is null ? null : new Candidates(_wildcard, _byKey.GetValueOrDefault(key) ?? []);

        public void Add(string[] values, int index)
        {
            if (values.Length == 0)
            {
                _wildcard.Add(index);
                return;
            }

            foreach (var value in values.Distinct(StringComparer.Ordinal))
            {
                if (!_byKey.TryGetValue(value, out var list))
                {
                    _byKey[value] = list = [];
                }

                list.Add(index);
            }
        }

        public void AddWildcard(int index) => _wildcard.Add(index);
    }
}
