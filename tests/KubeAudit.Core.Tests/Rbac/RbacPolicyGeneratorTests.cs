using KubeAudit.Core.Rbac;
using static KubeAudit.Core.Tests.Rbac.RbacEvents;

namespace KubeAudit.Core.Tests.Rbac;

public sealed class RbacPolicyGeneratorTests
{
    private static readonly RbacGeneratorOptions s_both = new() { ExpandMultiName = true, ExpandMultiNamespace = true };

    private static RbacPolicy Gen(RbacGeneratorOptions options, params AuditEvent[] events) => Generate(RbacSubject.User("bob"), options, events);

    // audit2rbac pkg/process_test.go "nonresource"
    [Fact]
    public void NonResourceRequestGoesToTheClusterRole()
    {
        var policy = Generate(Ev("get", uri: "/foo"));
        Assert.Equal(new[] { R("get", null, "/foo") }, Rules(policy)["ClusterRole"]);
        Assert.Equal(RbacObject.ClusterRoleBinding, Assert.Single(policy.Bindings).Kind);
    }

    // audit2rbac "cluster-scoped named resource"
    [Fact]
    public void ClusterScopedNamedResourcesKeepTheirNamesPerGroup()
    {
        var policy = Gen(s_both, Ev("get", resource: "nodes", name: "mynode"), Ev("get", resource: "storageclasses", name: "mysc", group: "storage.k8s.io"));
        Assert.Equal(new[] { R("get", "", "nodes", "mynode"), R("get", "storage.k8s.io", "storageclasses", "mysc") }, Rules(policy)["ClusterRole"]);
    }

    // audit2rbac "cluster-scoped named resources with/without name expansion"
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SeveralNamesBecomeAnyNameOnlyWithExpandMultiName(bool expand)
    {
        var policy = Gen(new() { ExpandMultiName = expand, ExpandMultiNamespace = true },
            Ev("get", resource: "nodes", name: "node1"), Ev("get", resource: "nodes", name: "node2"),
            Ev("get", resource: "storageclasses", name: "sc1", group: "storage.k8s.io"), Ev("get", resource: "storageclasses", name: "sc2", group: "storage.k8s.io"));
        var expected = expand
            ? new[] { R("get", "", "nodes"), R("get", "storage.k8s.io", "storageclasses") }
            : new[] { R("get", "", "nodes", "node1,node2"), R("get", "storage.k8s.io", "storageclasses", "sc1,sc2") };
        Assert.Equal(expected, Rules(policy)["ClusterRole"]);
    }

    // audit2rbac "... without name expansion with covering verb expansion"
    [Fact]
    public void ListCoversNamedGets()
    {
        var policy = Generate(
            Ev("get", resource: "nodes", name: "node1"), Ev("get", resource: "nodes", name: "node2"),
            Ev("get", resource: "storageclasses", name: "sc1", group: "storage.k8s.io"),
            Ev("list", resource: "nodes"), Ev("list", resource: "storageclasses", group: "storage.k8s.io"));
        Assert.Equal(new[] { R("get,list,watch", "", "nodes"), R("get,list,watch", "storage.k8s.io", "storageclasses") }, Rules(policy)["ClusterRole"]);
    }

    // audit2rbac "namespaced named resources"
    [Fact]
    public void OneRolePerNamespace()
    {
        var policy = Gen(s_both, Ev("get", resource: "configmaps", ns: "ns1", name: "cm1"), Ev("get", resource: "pods", ns: "ns2", name: "pod1"));
        var rules = Rules(policy);
        Assert.Equal(new[] { "Role ns1", "Role ns2" }, rules.Keys);
        Assert.Equal(new[] { R("get", "", "configmaps", "cm1") }, rules["Role ns1"]);
        Assert.Equal(new[] { R("get", "", "pods", "pod1") }, rules["Role ns2"]);
        Assert.Equal(new[] { "ns1", "ns2" }, policy.Bindings.Select(b => b.Namespace));
    }

    // audit2rbac "namespaced named resources with namespace and name expansion"
    [Fact]
    public void NamespaceAndNameExpansion()
    {
        var events = new List<AuditEvent> { Ev("get", resource: "configmaps", ns: "ns1", name: "cm1") };
        foreach (var ns in new[] { "ns1", "ns2" })
        {
            events.Add(Ev("get", resource: "pods", ns: ns, name: "pod1"));
            events.Add(Ev("get", resource: "pods", ns: ns, name: "pod2"));
            events.Add(Ev("get", resource: "deployments", group: "apps", ns: ns, name: "dep1"));
            events.Add(Ev("get", resource: "deployments", group: "apps", ns: ns, name: "dep2"));
        }

        var rules = Rules(Gen(s_both, [.. events]));
        Assert.Equal(new[] { R("get", "", "pods"), R("get", "apps", "deployments") }, rules["ClusterRole"]);
        Assert.Equal(new[] { R("get", "", "configmaps", "cm1") }, rules["Role ns1"]);
        Assert.Equal(2, rules.Count);
    }

    // audit2rbac "namespaced named resources with namespace expansion"
    [Fact]
    public void NamespaceExpansionKeepsNames()
    {
        var rules = Rules(Gen(new() { ExpandMultiNamespace = true },
            Ev("get", resource: "configmaps", ns: "ns1", name: "cm1"),
            Ev("get", resource: "pods", ns: "ns2", name: "pod1"), Ev("get", resource: "pods", ns: "ns3", name: "pod1"),
            Ev("get", resource: "deployments", group: "apps", ns: "ns2", name: "dep1"), Ev("get", resource: "deployments", group: "apps", ns: "ns3", name: "dep1"),
            Ev("get", resource: "pods", ns: "ns2", name: "pod2"), Ev("get", resource: "pods", ns: "ns3", name: "pod3"),
            Ev("get", resource: "deployments", group: "apps", ns: "ns2", name: "dep2"), Ev("get", resource: "deployments", group: "apps", ns: "ns3", name: "dep3")));
        Assert.Equal(new[] { R("get", "", "pods", "pod1"), R("get", "apps", "deployments", "dep1") }, rules["ClusterRole"]);
        Assert.Equal(new[] { R("get", "", "configmaps", "cm1") }, rules["Role ns1"]);
        Assert.Equal(new[] { R("get", "", "pods", "pod2"), R("get", "apps", "deployments", "dep2") }, rules["Role ns2"]);
        Assert.Equal(new[] { R("get", "", "pods", "pod3"), R("get", "apps", "deployments", "dep3") }, rules["Role ns3"]);
    }

    // audit2rbac "namespaced named resources with name expansion"
    [Fact]
    public void NameExpansionStaysInItsNamespace()
    {
        var rules = Rules(Gen(new() { ExpandMultiName = true },
            Ev("get", resource: "configmaps", ns: "ns1", name: "cm1"),
            Ev("get", resource: "pods", ns: "ns2", name: "pod1"), Ev("get", resource: "pods", ns: "ns2", name: "pod2"),
            Ev("get", resource: "pods", ns: "ns3", name: "pod1"), Ev("get", resource: "pods", ns: "ns3", name: "pod3")));
        Assert.False(rules.ContainsKey("ClusterRole"));
        Assert.Equal(new[] { R("get", "", "configmaps", "cm1") }, rules["Role ns1"]);
        Assert.Equal(new[] { R("get", "", "pods") }, rules["Role ns2"]);
        Assert.Equal(new[] { R("get", "", "pods") }, rules["Role ns3"]);
    }

    // audit2rbac README step 4: alice's denied lists in ns1 → one rule, three resources, widened verbs.
    [Fact]
    public void Audit2RbacReadmeExample()
    {
        var policy = Generate(RbacSubject.User("alice"), new(), [
            Ev("list", user: "alice", resource: "pods", ns: "ns1", code: 403),
            Ev("list", user: "alice", resource: "configmaps", ns: "ns1", code: 403),
            Ev("list", user: "alice", resource: "secrets", ns: "ns1", code: 403),
            Ev("list", user: "bob", resource: "nodes")]);
        var rules = Rules(policy);
        Assert.Equal(new[] { "Role ns1" }, rules.Keys);
        Assert.Equal(new[] { R("get,list,watch", "", "configmaps,pods,secrets") }, rules["Role ns1"]);
        var subject = Assert.Single(Assert.Single(policy.Bindings).Subjects);
        Assert.Equal(("User", "alice", RbacObject.RbacGroup), (subject.Kind, subject.Name, subject.ApiGroup));
        Assert.Equal("kubeaudit:alice", policy.Roles[0].Name);
    }

    [Fact]
    public void ExactVerbsGrantsOnlyWhatWasSeen()
    {
        var events = new[] { Ev("list", resource: "pods", ns: "a"), Ev("patch", resource: "deployments", group: "apps", ns: "a", name: "web") };
        Assert.Equal(new[] { R("get,list,watch", "", "pods"), R("get,patch,update", "apps", "deployments", "web") }, Rules(Gen(new(), events))["Role a"]);
        Assert.Equal(new[] { R("list", "", "pods"), R("patch", "apps", "deployments", "web") }, Rules(Gen(new() { ExactVerbs = true }, events))["Role a"]);
    }

    [Fact]
    public void CreateLosesTheNameButASubresourceCreateKeepsIt()
    {
        var rules = Rules(Generate(
            Ev("create", resource: "pods", ns: "a", name: "web-1"),
            Ev("create", resource: "pods", ns: "a", name: "debug", sub: "exec"),
            Ev("get", resource: "pods", ns: "a", name: "web-1", sub: "log")));
        Assert.Equal(new[] { R("create", "", "pods"), R("create", "", "pods/exec", "debug"), R("get", "", "pods/log", "web-1") }, rules["Role a"]);
    }

    [Fact]
    public void QueryStringsAreCutFromNonResourceUrls()
    {
        var policy = Generate(Ev("get", uri: "/metrics?x=1"), Ev("get", uri: "/metrics"));
        var rule = Assert.Single(policy.Roles[0].Rules);
        Assert.Equal(R("get", null, "/metrics"), rule.ToString());
        Assert.True(RuleMatcher.Allows(rule, new RequestAttributes { Verb = "get", Path = "/metrics" }));
    }

    [Fact]
    public void DiscoveryAndSelfReviewsEveryUserMayDoAreLeftOut()
    {
        var policy = Generate(
            Ev("get", uri: "/api"), Ev("get", uri: "/apis/apps/v1"), Ev("get", uri: "/openapi/v3"), Ev("get", uri: "/version?timeout=32s"),
            Ev("get", uri: "/livez"), Ev("get", uri: "/readyz"), Ev("get", uri: "/healthz"), Ev("get", uri: "/version/"),
            Ev("create", resource: "selfsubjectaccessreviews", group: "authorization.k8s.io"),
            Ev("create", resource: "selfsubjectrulesreviews", group: "authorization.k8s.io"),
            Ev("create", resource: "selfsubjectreviews", group: "authentication.k8s.io"),
            Ev("get", uri: "/apis-foo"), Ev("create", resource: "subjectaccessreviews", group: "authorization.k8s.io"));
        Assert.Equal(new[] { R("create", "authorization.k8s.io", "subjectaccessreviews"), R("get", null, "/apis-foo") }.Order(), Rules(policy)["ClusterRole"].Order());
        Assert.Equal(2, policy.EventCount);
    }

    [Fact]
    public void EachAuditIdCountsOnceAndDeniedCountsUnlessExcluded()
    {
        AuditEvent[] events =
        [
            Ev("get", resource: "secrets", ns: "a", name: "s", id: "1", stage: "RequestReceived"),
            Ev("get", resource: "secrets", ns: "a", name: "s", id: "1", code: 403, decision: "forbid"),
            Ev("get", resource: "pods", ns: "a", name: "p", id: "2", code: 403), // admission-free 403 without decision: denied
            Ev("get", resource: "configmaps", ns: "a", name: "c", id: "3", code: 403, decision: "allow"), // allowed, failed later
        ];
        var all = Gen(new(), events);
        Assert.Equal(3, all.EventCount);
        Assert.Equal(new[] { R("get", "", "configmaps", "c"), R("get", "", "pods", "p"), R("get", "", "secrets", "s") }, Rules(all)["Role a"]);
        var allowed = Gen(new() { ExcludeDenied = true }, events);
        Assert.Equal(new[] { R("get", "", "configmaps", "c") }, Rules(allowed)["Role a"]);
        Assert.Equal(1, allowed.EventCount);
    }

    [Fact]
    public void TheImpersonatedUserIsTheSubject()
    {
        var events = new[] { Ev("get", user: "admin", resource: "pods", ns: "a", name: "p", impersonate: "bob") };
        Assert.Single(Generate(RbacSubject.User("bob"), new(), events).Roles);
        // The impersonator needs only impersonate on bob (system:authenticated is added by the API server, not asked for).
        var admin = Generate(RbacSubject.User("admin"), new(), events);
        Assert.Equal(new[] { R("impersonate", "", "users", "bob") }, Rules(admin)["ClusterRole"]);
        Assert.Equal(1, admin.EventCount);
    }

    // kube-apiserver's impersonation filter (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go) authorizes
    // "impersonate" on users (by name), groups (by name), serviceaccounts (in their namespace, by name),
    // authentication.k8s.io userextras/<key> (by value) and uids (by uid); the groups it adds itself
    // (system:authenticated, and a service account's system:serviceaccounts[:ns] when none are given) are not asked for.
    [Fact]
    public void TheImpersonatorGetsImpersonateOnWhatItImpersonated()
    {
        const string AsServiceAccount = """
            {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"i1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/a/pods","verb":"list","user":{"username":"admin","groups":["system:masters","system:authenticated"]},"impersonatedUser":{"username":"system:serviceaccount:ci:deployer","groups":["system:serviceaccounts","system:serviceaccounts:ci","system:authenticated"]},"objectRef":{"resource":"pods","namespace":"a","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.000000Z"}
            """;
        const string AsUserInGroups = """
            {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"i2","stage":"ResponseComplete","requestURI":"/api/v1/nodes","verb":"list","user":{"username":"admin","groups":["system:authenticated"]},"impersonatedUser":{"username":"jane","uid":"u-1","groups":["dev","ops","system:authenticated"],"extra":{"scopes":["view"]}},"objectRef":{"resource":"nodes","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-01T11:00:00.000000Z","stageTimestamp":"2024-05-01T11:00:00.000000Z"}
            """;
        AuditEvent[] events = [ReaderHelpers.ParseOne(AsServiceAccount), ReaderHelpers.ParseOne(AsUserInGroups)];
        var rules = Rules(Generate(RbacSubject.User("admin"), new(), events));
        Assert.Equal(new[] { R("impersonate", "", "serviceaccounts", "deployer") }, rules["Role ci"]);
        Assert.Equal(new[]
        {
            R("impersonate", "", "groups", "dev,ops"),
            R("impersonate", "", "users", "jane"),
            R("impersonate", "authentication.k8s.io", "uids", "u-1"),
            R("impersonate", "authentication.k8s.io", "userextras/scopes", "view"),
        }, rules["ClusterRole"]);
        // The requests themselves are the impersonated subjects', not the impersonator's.
        Assert.DoesNotContain(rules.Values.SelectMany(r => r), r => r.Contains("pods") || r.Contains("nodes"));
        Assert.Equal(new[] { R("list", "", "pods") }, Rules(Generate(RbacSubject.ServiceAccount("ci:deployer"), new() { ExactVerbs = true }, events))["Role a"]);
    }

    [Fact]
    public void ServiceAccountsAndGroupsAreSubjects()
    {
        var sa = RbacSubject.ServiceAccount("ns1:sa1");
        Assert.Equal(sa, RbacSubject.ServiceAccount("system:serviceaccount:ns1:sa1"));
        Assert.Throws<FormatException>(() => RbacSubject.ServiceAccount("sa1"));
        var events = new[] { Ev("list", user: "system:serviceaccount:ns1:sa1", resource: "pods", groups: ["system:serviceaccounts", "system:authenticated"]) };
        var policy = Generate(sa, new(), events);
        var subject = Assert.Single(policy.Bindings[0].Subjects);
        Assert.Equal(("ServiceAccount", "sa1", "ns1", ""), (subject.Kind, subject.Name, subject.Namespace, subject.ApiGroup));
        Assert.Equal("kubeaudit:system:serviceaccount:ns1:sa1", policy.Roles[0].Name);
        var byGroup = Generate(RbacSubject.Group("system:serviceaccounts"), new() { Name = "all-sa" }, events);
        Assert.Equal(("Group", "all-sa"), (byGroup.Bindings[0].Subjects[0].Kind, byGroup.Roles[0].Name));
    }

    [Fact]
    public void NamespaceOptionKeepsOnlyThatNamespace()
    {
        var rules = Rules(Gen(new() { Namespace = "a" }, Ev("get", resource: "pods", ns: "a", name: "p"), Ev("get", resource: "pods", ns: "b", name: "p"), Ev("list", resource: "nodes"), Ev("get", uri: "/metrics")));
        Assert.Equal(new[] { "Role a" }, rules.Keys);
    }

    [Fact]
    public void AWideningClusterRuleCoversNamespacedRules()
    {
        var rules = Rules(Generate(Ev("list", resource: "pods"), Ev("get", resource: "pods", ns: "a", name: "p"), Ev("watch", resource: "pods", ns: "b")));
        Assert.Equal(new[] { "ClusterRole" }, rules.Keys);
        Assert.Equal(new[] { R("get,list,watch", "", "pods") }, rules["ClusterRole"]);
    }

    [Fact]
    public void EvidenceNamesTheRequestsBehindEachRule()
    {
        var policy = Generate(RbacSubject.User("bob"), new() { CollectEvidence = true }, [
            Ev("list", resource: "pods", ns: "a", time: "2024-05-01T10:00:00Z"),
            Ev("list", resource: "pods", ns: "a", time: "2024-05-01T11:00:00Z"),
            Ev("get", resource: "pods", ns: "a", name: "p", time: "2024-05-01T12:00:00Z")]);
        var evidence = Assert.Single(policy.Evidence);
        Assert.Equal(2, evidence.Requests.Count);
        var list = evidence.Requests.Single(r => r.Request.Verb == "list");
        Assert.Equal(2, list.Count);
        Assert.Equal(2, list.Events.Count);
        Assert.Equal(DateTimeOffset.Parse("2024-05-01T10:00:00Z", CultureInfo.InvariantCulture), policy.From);
        Assert.Equal(DateTimeOffset.Parse("2024-05-01T12:00:00Z", CultureInfo.InvariantCulture), policy.To);
    }
}
