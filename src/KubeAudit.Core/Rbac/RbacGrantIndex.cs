using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Rbac;

/// <summary>
/// The grants of a set of RBAC objects: ClusterRole aggregation resolved, bindings joined to their roles,
/// and looked up by user and groups as the RBAC authorizer does (ClusterRoleBindings everywhere, RoleBindings
/// in their namespace; ServiceAccount subjects by their user name).
/// </summary>
public sealed class RbacGrantIndex
{
    /// <summary>Code of a binding whose role is not among the objects given.</summary>
    public const string RoleNotFound = nameof(RoleNotFound);

    private readonly List<RbacGrant> _grants = [];
    private readonly Dictionary<string, IReadOnlyList<RbacGrant>> _cache = new(StringComparer.Ordinal);

    /// <summary>Builds the index; problems (a binding to a role not given) go to <paramref name="diagnostics"/>.</summary>
    public RbacGrantIndex(IEnumerable<RbacRole> roles, IEnumerable<RbacBinding> bindings, List<Diagnostic> diagnostics)
    {
        var clusterRoles = new Dictionary<string, RbacRole>(StringComparer.Ordinal);
        var namespaced = new Dictionary<(string, string), RbacRole>();
        foreach (var role in roles)
        {
            if (role.IsClusterRole)
            {
                clusterRoles[role.Name] = role;
            }
            else
            {
                namespaced[(role.Namespace, role.Name)] = role;
            }
        }

        Aggregate(clusterRoles);
        foreach (var binding in bindings)
        {
            var role = binding.RoleKind == RbacObject.ClusterRole
                ? clusterRoles.GetValueOrDefault(binding.RoleName)
                : binding.Kind == RbacObject.RoleBinding ? namespaced.GetValueOrDefault((binding.Namespace, binding.RoleName)) : null;
            if (role is null)
            {
                diagnostics.Add(new Diagnostic(
                    RoleNotFound, DiagnosticSeverity.Warning,
                    $"{binding} refers to {binding.RoleKind} {binding.RoleName}, which is not among the RBAC objects given; it grants nothing here.",
                    binding.File, binding.Line));
                continue;
            }

            for (var i = 0; i < role.Rules.Count; i++)
            {
                _grants.Add(new RbacGrant(binding, role, i, role.Rules[i]));
            }
        }
    }

    /// <summary>Every grant.</summary>
    public IReadOnlyList<RbacGrant> Grants => _grants;

    /// <summary>The grants of bindings that name this user, one of these groups, or (as a ServiceAccount) this user name.</summary>
    public IReadOnlyList<RbacGrant> For(string user, IReadOnlyList<string> groups)
    {
        var key = user + "\n" + string.Join("\n", groups);
        if (!_cache.TryGetValue(key, out var found))
        {
            _cache[key] = found = _grants.Where(g => g.Binding.Subjects.Any(s => s.Matches(user, groups))).ToList();
        }

        return found;
    }

    /// <summary>The grants of bindings that name this subject itself (a Group: only bindings to that group).</summary>
    public IReadOnlyList<RbacGrant> Naming(RbacSubject subject) =>
        _grants.Where(g => g.Binding.Subjects.Any(s => s.Kind == subject.Kind && s.Name == subject.Name && s.Namespace == subject.Namespace)).ToList();

    // The ClusterRole aggregation controller sets an aggregated role's rules to the union of the rules of the
    // ClusterRoles its selectors match (itself excluded), repeatedly, so aggregations of aggregations settle.
    // Rules the exported object already holds are kept, in case a role it aggregated was not exported.
    private static void Aggregate(Dictionary<string, RbacRole> clusterRoles)
    {
        var aggregated = clusterRoles.Values.Where(r => r.AggregationSelectors is not null).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        for (var pass = 0; pass < 10; pass++)
        {
            var changed = false;
            foreach (var role in aggregated)
            {
                var rules = role.Rules.ToList();
                var seen = new HashSet<string>(rules.Select(r => r.ToString()), StringComparer.Ordinal);
                foreach (var other in clusterRoles.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
                {
                    if (other.Name == role.Name || !role.AggregationSelectors!.Any(s => s.Matches(other.Labels)))
                    {
                        continue;
                    }

                    foreach (var rule in other.Rules)
                    {
                        if (seen.Add(rule.ToString()))
                        {
                            rules.Add(rule);
                            changed = true;
                        }
                    }
                }

                role.Rules = rules;
            }

            if (!changed)
            {
                break;
            }
        }
    }
}
