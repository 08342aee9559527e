namespace KubeAudit.Core.Policy;

/// <summary>
/// The concrete users, namespaces and object names the linter asks a policy about. Besides generic
/// values it takes every user, group, namespace and name the policy itself mentions, so rules limited
/// to them are reached too. Entries containing '*' are left out: they only match themselves literally.
/// </summary>
internal sealed class ProbeSpace
{
    public const string ProbeUser = "kubeaudit-probe";
    public const string ProbeName = "kubeaudit-probe";
    public const string FreshNamespace = "kubeaudit-probe";
    public const string Authenticated = "system:authenticated";

    /// <summary>At most this many identities, namespaces and object names are probed, whatever the size of the policy.</summary>
    public const int MaxIdentities = 24, MaxNamespaces = 24, MaxNames = 8;

    private ProbeSpace(List<Identity> identities, List<string> namespaces, List<string> names)
    {
        Identities = identities;
        Namespaces = namespaces;
        Names = names;
    }

    /// <summary>An ordinary authenticated user in no special group.</summary>
    public static Identity Generic { get; } = new(ProbeUser, [Authenticated]);

    /// <summary>Generic, node, anonymous, and one identity per user, group and rule of the policy.</summary>
    public List<Identity> Identities { get; }

    /// <summary>Real namespaces (never ""): default, kube-system, kube-node-lease, a fresh one, and the policy's.</summary>
    public List<string> Namespaces { get; }

    /// <summary>A generic object name and every resourceName in the policy.</summary>
    public List<string> Names { get; }

    public static ProbeSpace From(AuditPolicy policy)
    {
        var identities = new List<Identity>
        {
            Generic,
            new("system:node:kubeaudit-probe", ["system:nodes", Authenticated]),
            new("system:anonymous", ["system:unauthenticated"]),
        };

        foreach (var rule in policy.Rules)
        {
            var groups = rule.UserGroups.Where(Concrete).Append(Authenticated).Distinct(StringComparer.Ordinal).ToArray();
            foreach (var group in rule.UserGroups.Where(Concrete))
            {
                identities.Add(new Identity(ProbeUser, [group, Authenticated]));
            }

            // A rule with users and groups needs both at once.
            foreach (var user in rule.Users.Where(Concrete).DefaultIfEmpty(ProbeUser))
            {
                identities.Add(new Identity(user, [.. groups, .. ImpliedGroups(user)]));
            }
        }

        var namespaces = new List<string> { "default", "kube-system", "kube-node-lease", FreshNamespace };
        namespaces.AddRange(policy.Rules.SelectMany(r => r.Namespaces).Where(n => n.Length > 0 && Concrete(n)));

        var names = new List<string> { ProbeName };
        names.AddRange(policy.Rules.SelectMany(r => r.Resources).SelectMany(g => g.ResourceNames).Where(n => n.Length > 0 && Concrete(n)));

        // Bounded: every probe is resolved against every rule, so a space growing with the policy made linting cubic.
        // The generic values come first; the policy's own ones in the order they are first mentioned.
        return new ProbeSpace(
            identities.DistinctBy(i => i.User + "\n" + string.Join("\n", i.Groups.Order(StringComparer.Ordinal))).Take(MaxIdentities).ToList(),
            namespaces.Distinct(StringComparer.Ordinal).Take(MaxNamespaces).ToList(),
            names.Distinct(StringComparer.Ordinal).Take(MaxNames).ToList());
    }

    private static bool Concrete(string value) => !value.Contains('*');

    // The groups the API server's authenticators give service accounts and nodes.
    private static IEnumerable<string> ImpliedGroups(string user)
    {
        const string sa = "system:serviceaccount:";
        if (user.StartsWith(sa, StringComparison.Ordinal) && user.IndexOf(':', sa.Length) is var colon and > 0)
        {
            yield return "system:serviceaccounts";
            yield return "system:serviceaccounts:" + user[sa.Length..colon];
        }
        else if (user.StartsWith("system:node:", StringComparison.Ordinal))
        {
            yield return "system:nodes";
        }
    }
}

/// <summary>A user and the groups it is in.</summary>
internal sealed record Identity(string User, string[] Groups)
{
    public override string ToString() => User;
}
