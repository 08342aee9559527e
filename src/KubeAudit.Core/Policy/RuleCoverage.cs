namespace KubeAudit.Core.Policy;

/// <summary>
/// A sound but incomplete subset test between two rules: <see cref="Covers"/> answers true only when
/// every request the later rule matches is certainly matched by the earlier one, so the later rule is
/// unreachable. It compares the rules field by field (users, groups, verbs, namespaces, resources,
/// URLs) and never combines several earlier rules.
/// </summary>
internal static class RuleCoverage
{
    /// <summary>Whether <paramref name="earlier"/> matches every request <paramref name="later"/> matches.</summary>
    public static bool Covers(AuditPolicyRule earlier, AuditPolicyRule later)
    {
        if (!ListCovers(earlier.Users, later.Users)
            || !ListCovers(earlier.UserGroups, later.UserGroups)
            || !ListCovers(earlier.Verbs, later.Verbs))
        {
            return false;
        }

        var a = KindOf(earlier);
        var b = KindOf(later);
        if (a == RuleKind.Any)
        {
            return true;
        }

        if (a != b)
        {
            return false;
        }

        if (a == RuleKind.NonResource)
        {
            return later.NonResourceURLs.All(ub => earlier.NonResourceURLs.Any(ua => UrlCovers(ua, ub)));
        }

        if (!ListCovers(earlier.Namespaces, later.Namespaces))
        {
            return false;
        }

        if (earlier.Resources.Length == 0)
        {
            return true;
        }

        // The later rule matches every resource; only a group "*" entry matching everything covers that.
        if (later.Resources.Length == 0)
        {
            return earlier.Resources.Any(ga => ga.Group == "*" && (ga.Resources.Length == 0 || (ga.Resources.Contains("*") && ga.ResourceNames.Length == 0)));
        }

        return later.Resources.All(gb => earlier.Resources.Any(ga => GroupCovers(ga, gb)));
    }

    /// <summary>The branch of checker.go's ruleMatches a rule takes.</summary>
    public static RuleKind KindOf(AuditPolicyRule rule) =>
        rule.Namespaces.Length > 0 || rule.Resources.Length > 0 ? RuleKind.Resource
        : rule.NonResourceURLs.Length > 0 ? RuleKind.NonResource
        : RuleKind.Any;

    // Empty matches everything; otherwise the later list must be non-empty and inside the earlier one.
    private static bool ListCovers(string[] earlier, string[] later) =>
        earlier.Length == 0 || (later.Length > 0 && later.All(x => earlier.Contains(x, StringComparer.Ordinal)));

    private static bool GroupCovers(GroupResources a, GroupResources b)
    {
        if (a.Group != "*" && !string.Equals(a.Group, b.Group, StringComparison.Ordinal))
        {
            return false;
        }

        if (a.Resources.Length == 0)
        {
            return true;
        }

        var namesCovered = ListCovers(a.ResourceNames, b.ResourceNames);
        if (b.Resources.Length == 0)
        {
            return a.Resources.Contains("*") && a.ResourceNames.Length == 0;
        }

        return namesCovered && b.Resources.All(pb => a.Resources.Any(pa => PatternCovers(pa, pb)));
    }

    // Whether resource pattern pa matches every (resource, subresource) that pb matches (§2.5).
    private static bool PatternCovers(string pa, string pb)
    {
        if (pa == "*" || pa == pb)
        {
            return true;
        }

        // Wildcard patterns on the later side are covered only by "*" or themselves.
        if (pb == "*" || pb.StartsWith("*/", StringComparison.Ordinal) || pb.EndsWith("/*", StringComparison.Ordinal))
        {
            return false;
        }

        var slash = pb.IndexOf('/');
        if (slash < 0)
        {
            return pa == pb + "/*";
        }

        if (pb.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        return pa == pb[..slash] + "/*" || pa == "*/" + pb[(slash + 1)..];
    }

    // Whether URL spec ua matches every path ub matches (§2.4).
    private static bool UrlCovers(string ua, string ub)
    {
        if (ua == "*" || ua == ub)
        {
            return true;
        }

        if (ub == "*" || !ua.EndsWith('*'))
        {
            return false;
        }

        var prefix = ua.TrimEnd('*');
        return ub.TrimEnd('*').StartsWith(prefix, StringComparison.Ordinal);
    }
}
