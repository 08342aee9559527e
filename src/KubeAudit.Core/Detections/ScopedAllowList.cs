using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Detections;

/// <summary>An allow-list for the rules whose names match <see cref="Rules"/> (wildcards; empty: all rules).</summary>
/// <param name="Rules">Rule name patterns.</param>
/// <param name="Entries">User names, <c>group:</c> and <c>namespace:</c> entries.</param>
public sealed record ScopedAllowList(IReadOnlyList<string> Rules, IReadOnlyList<string> Entries)
{
    /// <summary>Whether the list applies to the rule named <paramref name="rule"/>.</summary>
    public bool AppliesTo(string rule) => Rules.Count == 0 || Rules.Any(r => new Glob(r).IsMatch(rule));
}
