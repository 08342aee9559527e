namespace KubeAudit.Core.Policy;

/// <summary>
/// Finds, for each rule, the first earlier rule that covers it (<see cref="RuleCoverage.Covers"/>)
/// without comparing every pair. An earlier rule can cover a later one only if it names the later
/// rule's first user (or has no users), its first verb (or has no verbs), and its first resource (or
/// matches every resource) or first URL (<see cref="UrlDimension"/>). Earlier rules are filed under
/// those keys, in order; for each later rule the smallest candidate list is walked in order, so the
/// answer is the pairwise one.
/// </summary>
internal sealed class ShadowIndex
{
    private readonly Dimension _users = new();
    private readonly Dimension _verbs = new();
    private readonly Dimension _resources = new();
    private readonly UrlDimension _urls = new();

    /// <summary>The first earlier rule covering <paramref name="later"/>, or -1; then files it for the rules after it.</summary>
    public int FirstCovering(AuditPolicyRule[] rules, int later, CancellationToken cancel)
    {
        var rule = rules[later];
        var best = Smallest(
            _users.CandidatesFor(rule.Users),
            _verbs.CandidatesFor(rule.Verbs),
            RuleCoverage.KindOf(rule) switch
            {
                RuleKind.Resource => _resources.Candidates(ResourceKey(rule)),
                RuleKind.NonResource => _urls.Candidates(rule.NonResourceURLs[0]),
                _ => null,
            });
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
                _urls.AddWildcard(index);
                break;
            case RuleKind.NonResource:
                _urls.Add(rule.NonResourceURLs, index);
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

    private readonly record struct Candidates(List<int> Wildcard, List<int>? Keyed, List<List<int>>? More = null)
    {
        public int Count => Wildcard.Count + (Keyed?.Count ?? 0) + (More?.Sum(l => l.Count) ?? 0);

        // Every list ascends: merge them, each index once (a rule can be filed under several keys).
        public IEnumerable<int> InOrder()
        {
            List<List<int>> lists = [Wildcard, Keyed ?? [], .. More ?? []];
            var at = new int[lists.Count];
            var last = -1;
            while (true)
            {
                var min = -1;
                for (var k = 0; k < lists.Count; k++)
                {
                    if (at[k] < lists[k].Count && (min < 0 || lists[k][at[k]] < lists[min][at[min]]))
                    {
                        min = k;
                    }
                }

                if (min < 0)
                {
                    yield break;
                }

                var next = lists[min][at[min]++];
                if (next != last)
                {
                    last = next;
                    yield return next;
                }
            }
        }
    }

    /// <summary>
    /// nonResourceURLs: an earlier rule covers the later rule's first URL only if it has no URLs (kind Any),
    /// "*", that very URL, or a "prefix*" spec whose prefix starts that URL (<see cref="RuleCoverage"/>).
    /// </summary>
    private sealed class UrlDimension
    {
        private readonly List<int> _wildcard = [];
        private readonly Dictionary<string, List<int>> _exact = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<int>> _prefix = new(StringComparer.Ordinal);

        public Candidates Candidates(string url)
        {
            var more = new List<List<int>>();
            if (url != "*")
            {
                var path = url.TrimEnd('*');
                for (var length = 0; length <= path.Length; length++)
                {
                    if (_prefix.TryGetValue(path[..length], out var list))
                    {
                        more.Add(list);
                    }
                }
            }

            return new Candidates(_wildcard, _exact.GetValueOrDefault(url) ?? [], more);
        }

        public void Add(string[] urls, int index)
        {
            if (urls.Contains("*", StringComparer.Ordinal))
            {
                _wildcard.Add(index);
                return;
            }

            foreach (var url in urls.Distinct(StringComparer.Ordinal))
            {
                File(_exact, url, index);
                if (url.EndsWith('*'))
                {
                    File(_prefix, url.TrimEnd('*'), index);
                }
            }
        }

        public void AddWildcard(int index) => _wildcard.Add(index);

        private static void File(Dictionary<string, List<int>> map, string key, int index)
        {
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = [];
            }

            // One rule can list "/a*" and "/a**": file it once per key.
            if (list.Count == 0 || list[^1] != index)
            {
                list.Add(index);
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
