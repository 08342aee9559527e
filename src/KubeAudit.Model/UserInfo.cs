using System.Diagnostics.CodeAnalysis;

namespace KubeAudit;

/// <summary>authentication/v1 UserInfo: who made (or was impersonated for) a request.</summary>
/// <remarks>
/// It compares, sorts and hashes as its name (case-insensitively, as PowerShell compares strings), so
/// <c>Where-Object User -eq kubernetes-admin</c>, <c>Sort-Object User</c> and <c>Group-Object User</c> work on what the
/// table shows, while <c>$e.User.Groups</c> still reaches the rest.
/// </remarks>
[SuppressMessage("Design", "CA1036", Justification = "IComparable serves Sort-Object only; C# code has no use for < or > on users.")]
public sealed class UserInfo : IEquatable<UserInfo>, IComparable
{
    private static readonly IReadOnlyDictionary<string, string[]> s_noExtra = new Dictionary<string, string[]>();

    /// <summary>The user name, e.g. <c>system:serviceaccount:kube-system:default</c>.</summary>
    public string? Username { get; internal set; }

    /// <summary>The user's UID, when the authenticator gives one.</summary>
    public string? Uid { get; internal set; }

    /// <summary>The groups the user belongs to.</summary>
    public StringList Groups { get; internal set; } = [];

    /// <summary>Extra authenticator attributes (e.g. <c>authentication.kubernetes.io/pod-name</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Extra { get; internal set; } = s_noExtra;

    /// <inheritdoc />
    public override string ToString() => Username ?? string.Empty;

    /// <summary>Equal to another UserInfo or a string with the same user name (ignoring case).</summary>
    public override bool Equals(object? obj) => obj switch
    {
        UserInfo other => Equals(other),
        string name => string.Equals(Username ?? string.Empty, name, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <inheritdoc />
    public bool Equals(UserInfo? other) =>
        other is not null && string.Equals(Username ?? string.Empty, other.Username ?? string.Empty, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Username ?? string.Empty);

    /// <summary>Orders by user name (ignoring case); compares with a UserInfo or a string.</summary>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        UserInfo other => string.Compare(Username, other.Username, StringComparison.OrdinalIgnoreCase),
        string name => string.Compare(Username, name, StringComparison.OrdinalIgnoreCase),
        _ => throw new ArgumentException("A UserInfo compares only with a UserInfo or a user name.", nameof(obj)),
    };
}
