namespace KubeAudit.Core.Policy;

/// <summary>nonResourceURLs as matchers (checker.go <c>pathMatches</c>, audit spec §2.4).</summary>
internal sealed class NonResourceMatcher
{
    private readonly bool _all;
    private readonly OrdinalSet _exact;
    private readonly string[] _prefixes;

    public NonResourceMatcher(string[] specs)
    {
        _all = specs.Contains("*", StringComparer.Ordinal);
        _exact = new OrdinalSet(specs);

        // Go's TrimRight(spec, "*") strips every trailing '*', so "/logs**" is the prefix "/logs".
        _prefixes = specs.Where(s => s.EndsWith('*')).Select(s => s.TrimEnd('*')).Distinct(StringComparer.Ordinal).ToArray();
    }

    public bool Matches(string path)
    {
        if (_all || _exact.Contains(path))
        {
            return true;
        }

        foreach (var prefix in _prefixes)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
