using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Detections;

/// <summary>
/// Identities and namespaces a rule ignores: Falco users' first complaint is findings about the cluster's
/// own controllers. Entries are wildcard patterns: a user name, <c>group:&lt;group&gt;</c> or <c>namespace:&lt;namespace&gt;</c>.
/// </summary>
public sealed class AllowList
{
    private const string GroupPrefix = "group:";
    private const string NamespacePrefix = "namespace:";
    private readonly Glob[] _users;
    private readonly Glob[] _groups;
    private readonly Glob[] _namespaces;

    /// <summary>An allow-list of <paramref name="entries"/>.</summary>
    public AllowList(IEnumerable<string> entries)
    {
        var users = new List<Glob>();
        var groups = new List<Glob>();
        var namespaces = new List<Glob>();
        foreach (var entry in entries)
        {
            if (entry.StartsWith(GroupPrefix, StringComparison.OrdinalIgnoreCase))
            {
                groups.Add(new Glob(entry[GroupPrefix.Length..]));
            }
            else if (entry.StartsWith(NamespacePrefix, StringComparison.OrdinalIgnoreCase))
            {
                namespaces.Add(new Glob(entry[NamespacePrefix.Length..]));
            }
            else
            {
                users.Add(new Glob(entry));
            }
        }

        _users = [.. users];
        _groups = [.. groups];
        _namespaces = [.. namespaces];
    }

    /// <summary>An allow-list that allows nothing.</summary>
    public static AllowList Empty { get; } = new([]);

    /// <summary>True when the list has no entries.</summary>
    public bool IsEmpty => _users.Length == 0 && _groups.Length == 0 && _namespaces.Length == 0;

    /// <summary>Whether the event's user, one of its groups or its namespace is allowed.</summary>
    public bool Allows(AuditEvent ev)
    {
        foreach (var user in _users)
        {
            if (user.IsMatch(ev.Username))
            {
                return true;
            }
        }

        foreach (var group in _groups)
        {
            foreach (var g in ev.User.Groups)
            {
                if (group.IsMatch(g))
                {
                    return true;
                }
            }
        }

        foreach (var ns in _namespaces)
        {
            if (ns.IsMatch(ev.Namespace))
            {
                return true;
            }
        }

        return false;
    }
}
