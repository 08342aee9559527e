namespace KubeAudit.Core.Rbac;

/// <summary>
/// kube-apiserver's RBAC rule matching, exactly (pkg/apis/rbac/v1/evaluation_helpers.go and RuleAllows in
/// plugin/pkg/auth/authorizer/rbac): ordinal comparisons, <c>*</c> wildcards, <c>*/subresource</c>, and
/// non-resource URLs with a trailing <c>*</c> as a prefix.
/// </summary>
public static class RuleMatcher
{
    /// <summary>Whether <paramref name="rule"/> allows <paramref name="request"/>.</summary>
    public static bool Allows(PolicyRule rule, RequestAttributes request)
    {
        if (request.IsResourceRequest)
        {
            return VerbMatches(rule, request.Verb)
                && ApiGroupMatches(rule, request.ApiGroup)
                && ResourceMatches(rule, request.ResourcePath, request.Subresource)
                && ResourceNameMatches(rule, request.Name);
        }

        return VerbMatches(rule, request.Verb) && NonResourceUrlMatches(rule, request.Path);
    }

    /// <summary>VerbMatches: <c>*</c> or the verb itself.</summary>
    public static bool VerbMatches(PolicyRule rule, string verb) => AnyOrEqual(rule.Verbs, verb);

    /// <summary>APIGroupMatches: <c>*</c> or the group itself.</summary>
    public static bool ApiGroupMatches(PolicyRule rule, string group) => AnyOrEqual(rule.ApiGroups, group);

    /// <summary>ResourceMatches: <c>*</c>, <c>resource/subresource</c> exactly, or <c>*/subresource</c>.</summary>
    public static bool ResourceMatches(PolicyRule rule, string combinedResource, string subresource)
    {
        foreach (var ruleResource in rule.Resources)
        {
            if (ruleResource == "*" || string.Equals(ruleResource, combinedResource, StringComparison.Ordinal))
            {
                return true;
            }

            if (subresource.Length > 0
                && ruleResource.Length == subresource.Length + 2
                && ruleResource.StartsWith("*/", StringComparison.Ordinal)
                && ruleResource.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>ResourceNameMatches: no names is any name, else one of them.</summary>
    public static bool ResourceNameMatches(PolicyRule rule, string name) =>
        rule.ResourceNames.Count == 0 || rule.ResourceNames.Contains(name, StringComparer.Ordinal);

    /// <summary>NonResourceURLMatches: <c>*</c>, the path itself, or a prefix ending in <c>*</c>.</summary>
    public static bool NonResourceUrlMatches(PolicyRule rule, string path)
    {
        foreach (var url in rule.NonResourceUrls)
        {
            if (url == "*" || string.Equals(url, path, StringComparison.Ordinal))
            {
                return true;
            }

            // strings.TrimRight(url, "*"): every trailing star goes.
            if (url.EndsWith('*') && path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyOrEqual(IReadOnlyList<string> values, string value)
    {
        foreach (var v in values)
        {
            if (v == "*" || string.Equals(v, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
