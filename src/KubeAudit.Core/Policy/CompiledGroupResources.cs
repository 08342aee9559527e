namespace KubeAudit.Core.Policy;

/// <summary>
/// One GroupResources entry as matchers (audit spec §2.5 step 5). Every pattern keeps its literal
/// meaning too: <c>res == combined</c> is checked for all of them, as the API server does.
/// </summary>
internal sealed class CompiledGroupResources
{
    private readonly string _group;
    private readonly bool _anyGroup;
    private readonly bool _anyResource;      // resources empty: every resource, names ignored
    private readonly bool _star;             // "*": any resource and subresource
    private readonly OrdinalSet? _names;
    private readonly OrdinalSet _exact;      // res == combined, looked up directly when there is no subresource
    private readonly string[] _exactWithSlash; // compared piecewise against resource + "/" + subresource
    private readonly OrdinalSet? _anySubOf;  // "pods/*" -> "pods" (also matches plain pods)
    private readonly OrdinalSet? _subOfAny;  // "*/status" -> "status"

    public CompiledGroupResources(GroupResources gr)
    {
        _group = gr.Group ?? string.Empty;

        // The 1.36+ group wildcard; validation decides whether the target version allows it.
        _anyGroup = _group == "*";
        _anyResource = gr.Resources.Length == 0;
        _names = OrdinalSet.OrAny(gr.ResourceNames);
        _exact = new OrdinalSet(gr.Resources);
        _exactWithSlash = gr.Resources.Where(r => r.Contains('/')).Distinct(StringComparer.Ordinal).ToArray();
        _star = gr.Resources.Contains("*", StringComparer.Ordinal);
        var anySubOf = gr.Resources.Where(r => r.EndsWith("/*", StringComparison.Ordinal)).Select(r => r[..^2]).ToArray();
        var subOfAny = gr.Resources.Where(r => r.StartsWith("*/", StringComparison.Ordinal)).Select(r => r[2..]).ToArray();
        _anySubOf = OrdinalSet.OrAny(anySubOf);
        _subOfAny = OrdinalSet.OrAny(subOfAny);
    }

    public bool Matches(AuditRequest r)
    {
        if (!_anyGroup && !string.Equals(_group, r.ApiGroup, StringComparison.Ordinal))
        {
            return false;
        }

        if (_anyResource)
        {
            return true;
        }

        // resourceNames gates every resource pattern alike, so test it once.
        if (_names is not null && !_names.Contains(r.Name))
        {
            return false;
        }

        if (_star)
        {
            return true;
        }

        var sub = r.Subresource;
        if (sub.Length == 0)
        {
            if (_exact.Contains(r.Resource))
            {
                return true;
            }
        }
        else
        {
            foreach (var pattern in _exactWithSlash)
            {
                if (IsCombined(pattern, r.Resource, sub))
                {
                    return true;
                }
            }

            if (_subOfAny is not null && _subOfAny.Contains(sub))
            {
                return true;
            }
        }

        // "pods/*" compares only the resource, so it matches plain "pods" as well (§2.5).
        return _anySubOf is not null && _anySubOf.Contains(r.Resource);
    }

    // pattern == resource + "/" + subresource, without building the combined string.
    private static bool IsCombined(string pattern, string resource, string sub) =>
        pattern.Length == resource.Length + 1 + sub.Length
        && pattern[resource.Length] == '/'
        && pattern.AsSpan(0, resource.Length).SequenceEqual(resource)
        && pattern.AsSpan(resource.Length + 1).SequenceEqual(sub);
}
