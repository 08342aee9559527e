namespace KubeAudit.Core.Policy;

/// <summary>
/// A class of concrete resource requests the linter evaluates a policy on, e.g. "get, list, watch
/// secrets in any namespace". <see cref="Requests"/> yields one reused <see cref="AuditRequest"/>,
/// changed in place between items: read it before asking for the next.
/// </summary>
internal sealed record ResourceProbe(string Label, string Group, string Resource, string Subresource, bool Namespaced, string[] Verbs)
{
    public IEnumerable<AuditRequest> Requests(IEnumerable<Identity> identities, IReadOnlyList<string> namespaces, IReadOnlyList<string> names)
    {
        var r = new AuditRequest { IsResourceRequest = true, ApiGroup = Group, Resource = Resource, Subresource = Subresource };
        string[] cluster = [string.Empty];
        string[] nameless = [string.Empty];
        foreach (var id in identities)
        {
            r.User = id.User;
            r.Groups = id.Groups;
            foreach (var verb in Verbs)
            {
                r.Verb = verb;

                // create, list and watch carry no name (§2.5); a subresource request names its parent.
                var collection = Subresource.Length == 0 && verb is "create" or "list" or "watch" or "deletecollection";

                // list/watch across all namespaces arrive with namespace "".
                var inNamespaces = !Namespaced ? cluster : verb is "list" or "watch" ? namespaces.Append(string.Empty) : namespaces;
                foreach (var ns in inNamespaces)
                {
                    r.Namespace = ns;
                    foreach (var name in collection ? nameless : names)
                    {
                        r.Name = name;
                        r.Path = Path(ns, name);
                        yield return r;
                    }
                }
            }
        }
    }

    // For display only; resource rules never look at the path.
    private string Path(string ns, string name)
    {
        var root = Group.Length == 0 ? "/api/v1" : $"/apis/{Group}/v1";
        var scope = ns.Length == 0 ? string.Empty : "/namespaces/" + ns;
        var obj = name.Length == 0 ? string.Empty : "/" + name;
        var sub = Subresource.Length == 0 ? string.Empty : "/" + Subresource;
        return root + scope + "/" + Resource + obj + sub;
    }
}
