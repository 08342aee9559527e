using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Rbac;
using static KubeAudit.Core.Tests.Rbac.RbacEvents;

namespace KubeAudit.Core.Tests.Rbac;

/// <summary>
/// The requests of audit2rbac's testdata/demo.log (bob impersonated by system:admin, service account ns1:sa1),
/// rebuilt as events, and the roles audit2rbac gives for them.
/// </summary>
public sealed class Audit2RbacDemoTests
{
    private static readonly RbacGeneratorOptions s_audit2rbacDefaults = new() { ExpandMultiName = true, ExpandMultiNamespace = true };

    private static AuditEvent[] Demo()
    {
        AuditEvent Bob(string verb, string? resource = null, string? ns = null, string? uri = null, int code = 200) =>
            Ev(verb, user: "system:admin", groups: ["system:masters", "system:authenticated"], impersonate: "bob", resource: resource, ns: ns, uri: uri, code: code);
        AuditEvent Sa(string verb, string resource, string? ns, int code) =>
            Ev(verb, user: "system:serviceaccount:ns1:sa1", groups: ["system:serviceaccounts", "system:serviceaccounts:ns1", "system:authenticated"], resource: resource, ns: ns, code: code);
        var events = new List<AuditEvent>
        {
            Bob("list", "pods", "default", code: 403), Bob("list", "pods", "default", uri: "/api/v1/namespaces/default/pods?includeUninitialized=true"),
            Bob("list", "pods", "ns1", code: 403), Bob("list", "nodes", uri: "/api/v1/nodes?includeUninitialized=true", code: 403),
            Sa("list", "pods", "default", 403), Sa("list", "nodes", null, 403), Sa("list", "pods", null, 403), Sa("list", "pods", null, 200),
        };
        foreach (var path in new[] { "/api", "/apis", "/api/v1", "/apis/apps/v1beta1", "/apis/batch/v1", "/apis/rbac.authorization.k8s.io/v1" })
        {
            events.Add(Bob("get", uri: path));
        }

        return [.. events];
    }

    [Fact]
    public void BobWithAudit2RbacDefaultsGetsOneClusterRole()
    {
        var rules = Rules(Generate(RbacSubject.User("bob"), s_audit2rbacDefaults, Demo()));
        Assert.Equal(new[] { "ClusterRole" }, rules.Keys);
        Assert.Equal(new[] { R("get,list,watch", "", "nodes,pods") }, rules["ClusterRole"]);
    }

    [Fact]
    public void BobWithoutExpansionGetsARolePerNamespace()
    {
        var rules = Rules(Generate(RbacSubject.User("bob"), new(), Demo()));
        Assert.Equal(new[] { "Role default", "Role ns1", "ClusterRole" }, rules.Keys);
        Assert.Equal(new[] { R("get,list,watch", "", "pods") }, rules["Role default"]);
        Assert.Equal(new[] { R("get,list,watch", "", "nodes") }, rules["ClusterRole"]);
    }

    [Fact]
    public void TheServiceAccountsAllNamespaceListCoversItsNamespacedOne()
    {
        var policy = Generate(RbacSubject.ServiceAccount("ns1:sa1"), s_audit2rbacDefaults, Demo());
        Assert.Equal(new[] { R("get,list,watch", "", "nodes,pods") }, Rules(policy)["ClusterRole"]);
        Assert.Single(policy.Roles);
        // The impersonator's requests are bob's: system:admin needs only to impersonate him.
        var admin = Assert.Single(Rules(Generate(RbacSubject.User("system:admin"), new(), Demo())));
        Assert.Equal("ClusterRole", admin.Key);
        Assert.Equal(new[] { R("impersonate", "", "users", "bob") }, admin.Value);
    }

    [Fact]
    public void TheReadingFilterAlsoTakesTheImpersonatedUser()
    {
        var filter = RbacEventFilter.For(RbacSubject.User("bob"), null)!;
        Assert.All(Demo().Where(e => e.ImpersonatedUser is not null), e => Assert.True(filter.Matches(e)));
        Assert.DoesNotContain(Demo(), e => e.ImpersonatedUser is null && filter.Matches(e));
        Assert.False(new AuditEventFilter { Users = ["bob"] }.Matches(Demo()[0]));
        Assert.Null(RbacEventFilter.For(RbacSubject.User("we*rd"), null));
    }
}
