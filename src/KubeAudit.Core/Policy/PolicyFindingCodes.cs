namespace KubeAudit.Core.Policy;

/// <summary>
/// The stable codes of policy findings. KA1xxx are errors (KA10xx: kube-apiserver refuses the policy;
/// KA11xx: it loads it but not as written); KA2xxx are warnings about policies that load but are
/// wrong or dangerous.
/// </summary>
public static class PolicyFindingCodes
{
    /// <summary>apiVersion absent, removed (v1beta1, v1alpha1 since 1.24) or unknown.</summary>
    public const string ApiVersion = "KA1001";

    /// <summary>kind is neither Policy nor absent.</summary>
    public const string Kind = "KA1002";

    /// <summary>The policy has no rules (<c>loaded illegal policy with 0 rules</c>).</summary>
    public const string NoRules = "KA1003";

    /// <summary><c>rules[i].level: Required value</c>.</summary>
    public const string LevelRequired = "KA1004";

    /// <summary><c>rules[i].level: Unsupported value</c> (levels are case-sensitive).</summary>
    public const string LevelUnsupported = "KA1005";

    /// <summary>A nonResourceURL that does not begin with '/'.</summary>
    public const string NonResourceUrlSlash = "KA1006";

    /// <summary>A nonResourceURL with '*' anywhere but at the end.</summary>
    public const string NonResourceUrlWildcard = "KA1007";

    /// <summary>A group that is not a DNS-1123 subdomain (group/version, upper case, '*' before 1.36).</summary>
    public const string GroupInvalid = "KA1008";

    /// <summary>resourceNames without resources.</summary>
    public const string ResourceNamesWithoutResources = "KA1009";

    /// <summary>An omitStages entry that is not one of the four stages.</summary>
    public const string OmitStageInvalid = "KA1010";

    /// <summary>nonResourceURLs together with resources or namespaces in one rule.</summary>
    public const string MixedResourceAndNonResource = "KA1011";

    /// <summary>An unquoted YAML 1.1 boolean or number where a string is expected (the decoder fails).</summary>
    public const string YamlNonString = "KA1012";

    /// <summary>A field of the wrong type (a list where a string is expected, ...): the decoder fails.</summary>
    public const string WrongType = "KA1013";

    /// <summary>The file is not valid YAML or JSON.</summary>
    public const string InvalidYaml = "KA1014";

    /// <summary>The document is not an audit Policy (empty, a bare list of rules, another kind).</summary>
    public const string NotAPolicy = "KA1015";

    /// <summary>The file could not be read.</summary>
    public const string ReadFailed = "KA1016";

    /// <summary>A field the API server does not know: it drops it (lenient decoding), widening the rule.</summary>
    public const string UnknownField = "KA1100";

    /// <summary>Secrets, ConfigMaps, TokenReviews or serviceaccounts/token bodies reachable at Request or RequestResponse.</summary>
    public const string CredentialBodies = "KA2001";

    /// <summary>'*' in namespaces, users, userGroups, verbs or resourceNames, where it is matched literally.</summary>
    public const string LiteralWildcard = "KA2002";

    /// <summary>A rule no request can reach: an earlier rule matches everything it matches.</summary>
    public const string ShadowedRule = "KA2003";

    /// <summary>No rule matches every request, so some requests are silently not logged.</summary>
    public const string NoCatchAll = "KA2004";

    /// <summary>A group written as group/version, as a bare version, or as "core".</summary>
    public const string GroupVersion = "KA2005";

    /// <summary>High-volume read-only traffic (events, leases, endpoints, health checks) logged above Metadata.</summary>
    public const string HighVolume = "KA2006";

    /// <summary>RequestReceived is not omitted, so most requests are logged twice.</summary>
    public const string RequestReceivedNotOmitted = "KA2007";

    /// <summary>pods/exec, pods/attach or pods/portforward requests not logged.</summary>
    public const string PodAccessNotLogged = "KA2008";

    /// <summary>RBAC changes (roles, bindings) not logged.</summary>
    public const string RbacChangesNotLogged = "KA2009";

    /// <summary>serviceaccounts/token creation not logged.</summary>
    public const string TokenRequestsNotLogged = "KA2010";

    /// <summary>audit.k8s.io/v1beta1 or v1alpha1 on a cluster older than 1.24: accepted but deprecated.</summary>
    public const string DeprecatedApiVersion = "KA2011";

    /// <summary>More than one YAML document: only the first is the policy.</summary>
    public const string ExtraDocuments = "KA2012";
}
