namespace KubeAudit.Core.Compliance;

/// <summary>A concrete request a policy-content check asks the policy about, and how to name it in evidence.</summary>
internal sealed record PolicyProbe(AuditRequest Request, string Text)
{
    // An ordinary authenticated user: the checks are about what a person can do, not controllers.
    private const string User = "compliance-check";

    public static PolicyProbe Resource(string verb, string group, string resource, string ns, string subresource = "")
    {
        var request = new AuditRequest
        {
            User = User,
            Groups = ["system:authenticated"],
            Verb = verb,
            IsResourceRequest = true,
            ApiGroup = group,
            Resource = resource,
            Subresource = subresource,
            Namespace = ns,
        };
        var what = (group.Length == 0 ? resource : $"{resource}.{group}") + (subresource.Length == 0 ? string.Empty : "/" + subresource);
        return new PolicyProbe(request, ns.Length == 0 ? $"{verb} {what}" : $"{verb} {what} in {ns}");
    }

    public static PolicyProbe NonResource(string verb, string path) =>
        new(new AuditRequest { User = User, Groups = ["system:authenticated"], Verb = verb, Path = path }, $"{verb} {path}");

    /// <summary>Every combination of verbs and resources, in one namespace.</summary>
    public static IEnumerable<PolicyProbe> Each(string[] verbs, string apiGroup, string[] resources, string ns) =>
        resources.SelectMany(resource => verbs.Select(verb => Resource(verb, apiGroup, resource, ns)));
}
