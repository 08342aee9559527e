namespace KubeAudit.Core.Rbac;

/// <summary>A metav1.LabelSelector: matchLabels and matchExpressions, all of which must hold.</summary>
public sealed class LabelSelector
{
    /// <summary>Labels that must be present with these values.</summary>
    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Expressions: key, operator (In, NotIn, Exists, DoesNotExist), values.</summary>
    public IReadOnlyList<(string Key, string Operator, IReadOnlyList<string> Values)> MatchExpressions { get; init; } = [];

    /// <summary>Whether <paramref name="labels"/> match; an empty selector matches every object (LabelSelectorAsSelector).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var (key, op, values) in MatchExpressions)
        {
            var has = labels.TryGetValue(key, out var actual);
            var ok = op switch
            {
                "In" => has && values.Contains(actual!, StringComparer.Ordinal),
                "NotIn" => !has || !values.Contains(actual!, StringComparer.Ordinal),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
