namespace KubeAudit;

/// <summary>authentication/v1 UserInfo: who made (or was impersonated for) a request.</summary>
public sealed class UserInfo
{
    private static readonly IReadOnlyDictionary<string, string[]> s_noExtra = new Dictionary<string, string[]>();

    /// <summary>The user name, e.g. <c>system:serviceaccount:kube-system:default</c>.</summary>
    public string? Username { get; internal set; }

    /// <summary>The user's UID, when the authenticator gives one.</summary>
    public string? Uid { get; internal set; }

    /// <summary>The groups the user belongs to.</summary>
    public string[] Groups { get; internal set; } = [];

    /// <summary>Extra authenticator attributes (e.g. <c>authentication.kubernetes.io/pod-name</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Extra { get; internal set; } = s_noExtra;

    /// <inheritdoc />
    public override string ToString() => Username ?? string.Empty;
}
