namespace KubeAudit.Core.Rbac;

/// <summary>Who a binding names: a User, a Group or a ServiceAccount (rbac.authorization.k8s.io/v1 Subject).</summary>
public sealed record RbacSubject(string Kind, string Name, string Namespace = "")
{
    /// <summary>Subject kind User.</summary>
    public const string UserKind = "User";

    /// <summary>Subject kind Group.</summary>
    public const string GroupKind = "Group";

    /// <summary>Subject kind ServiceAccount.</summary>
    public const string ServiceAccountKind = "ServiceAccount";

    private const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary>A user, by user name (a service account's user name makes a ServiceAccount subject).</summary>
    public static RbacSubject User(string name) =>
        TryServiceAccount(name, out var sa) ? sa : new RbacSubject(UserKind, name);

    /// <summary>A group.</summary>
    public static RbacSubject Group(string name) => new(GroupKind, name);

    /// <summary>A service account from <c>namespace:name</c> or <c>system:serviceaccount:namespace:name</c>.</summary>
    /// <exception cref="FormatException">Not one of those forms.</exception>
    public static RbacSubject ServiceAccount(string value)
    {
        if (TryServiceAccount(value, out var sa))
        {
            return sa;
        }

        var parts = value.Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new FormatException($"'{value}' is not a service account: expected namespace:name or system:serviceaccount:namespace:name.");
        }

        return new RbacSubject(ServiceAccountKind, parts[1], parts[0]);
    }

    /// <summary>The user name the API server gives this subject (<c>system:serviceaccount:ns:name</c> for service accounts).</summary>
    public string UserName => Kind == ServiceAccountKind ? ServiceAccountPrefix + Namespace + ":" + Name : Name;

    /// <summary>The API group the subject has in a binding (none for service accounts).</summary>
    public string ApiGroup => Kind == ServiceAccountKind ? string.Empty : RbacObject.RbacGroup;

    /// <summary>Whether a request by <paramref name="user"/> in <paramref name="groups"/> is this subject's.</summary>
    public bool Matches(string user, IReadOnlyList<string> groups) => Kind switch
    {
        GroupKind => groups.Contains(Name, StringComparer.Ordinal),
        _ => string.Equals(user, UserName, StringComparison.Ordinal),
    };

    /// <inheritdoc />
    public override string ToString() => Kind == ServiceAccountKind ? $"{Kind} {Namespace}/{Name}" : $"{Kind} {Name}";

    private static bool TryServiceAccount(string value, out RbacSubject subject)
    {
        subject = null!;
        if (!value.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = value[ServiceAccountPrefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        subject = new RbacSubject(ServiceAccountKind, parts[1], parts[0]);
        return true;
    }
}
