using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Rbac;
using static KubeAudit.Core.Tests.Rbac.RbacEvents;

namespace KubeAudit.Core.Tests.Rbac;

public sealed class RbacUsageAnalyzerTests
{
    private const string Rbac = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRole
          metadata: {name: pod-reader, labels: {example.com/aggregate-to-ops: "true"}}
          rules:
          - {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
          - {apiGroups: [""], resources: [secrets], verbs: [get]}
        - apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRole
          metadata: {name: ops}
          aggregationRule:
            clusterRoleSelectors:
            - matchLabels: {example.com/aggregate-to-ops: "true"}
          rules: []
        - apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRoleBinding
          metadata: {name: ops-devs}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ops}
          subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}]
        - apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata: {name: app-reads, namespace: a}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
          subjects: [{kind: ServiceAccount, name: app}]
        - apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata: {name: dangling, namespace: a}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
          subjects: [{kind: User, name: alice}]
        """;

    private static (RbacGrantIndex Index, List<Diagnostic> Notes) Index(string yaml)
    {
        var read = new RbacReadResult();
        RbacDocumentReader.Read(yaml, "rbac.yaml", read);
        Assert.Empty(read.Diagnostics);
        var notes = new List<Diagnostic>();
        return (new RbacGrantIndex(read.Roles, read.Bindings, notes), notes);
    }

    private static List<RbacPermissionUsage> Analyze(RbacGrantIndex index, RbacSubject? subject, params AuditEvent[] events)
    {
        var analyzer = new RbacUsageAnalyzer(index, subject);
        foreach (var ev in events)
        {
            analyzer.Add(ev);
        }

        return analyzer.Results().ToList();
    }

    [Fact]
    public void AggregatedGroupGrantsAreUsedUnusedAndMissingRequestsShow()
    {
        var (index, notes) = Index(Rbac);
        Assert.Equal(RbacGrantIndex.RoleNotFound, Assert.Single(notes).Code);
        var rows = Analyze(index, null,
            Ev("list", user: "alice", groups: ["devs", "system:authenticated"], resource: "pods", ns: "b", time: "2024-05-01T09:00:00Z", id: "1", stage: "RequestReceived"),
            Ev("list", user: "alice", groups: ["devs", "system:authenticated"], resource: "pods", ns: "b", time: "2024-05-01T09:00:00Z", id: "1"),
            Ev("get", user: "alice", groups: ["devs", "system:authenticated"], resource: "pods", ns: "c", name: "p", time: "2024-05-01T10:00:00Z"),
            Ev("delete", user: "alice", groups: ["devs", "system:authenticated"], resource: "pods", ns: "c", name: "p", code: 403, decision: "forbid", time: "2024-05-01T11:00:00Z"),
            Ev("get", user: "alice", groups: ["devs", "system:authenticated"], uri: "/api"),
            Ev("get", user: "carol", resource: "pods", ns: "b", name: "x", time: "2024-05-01T12:00:00Z"));

        var alice = rows.Where(r => r.Subject == "User alice").ToList();
        Assert.Equal(new[] { "Used", "Unused", "Missing" }, alice.Select(r => r.Status));
        Assert.Equal("ClusterRoleBinding ops-devs", alice[0].Binding);
        Assert.Equal("ClusterRole ops", alice[0].Role);
        Assert.Equal(2, alice[0].Count);
        Assert.Equal(DateTimeOffset.Parse("2024-05-01T10:00:00Z", CultureInfo.InvariantCulture), alice[0].LastUsed);
        Assert.Equal("get,list,watch pods", alice[0].Permission);
        Assert.Equal(alice[0].Rule!.Text, alice[0].Permission);
        Assert.Equal("get secrets", alice[1].Permission);
        Assert.Equal("delete pods -n c p", alice[2].Permission);
        Assert.Equal(1, alice[2].Denied);
        Assert.All(rows, r => Assert.Equal(DateTimeOffset.Parse("2024-05-01T09:00:00Z", CultureInfo.InvariantCulture), r.WindowStart));
        Assert.All(rows, r => Assert.Equal(DateTimeOffset.Parse("2024-05-01T12:00:00Z", CultureInfo.InvariantCulture), r.WindowEnd));
        // carol holds no grant in the files given: her RBAC is elsewhere, so she is not reported.
        Assert.DoesNotContain(rows, r => r.Subject == "User carol");
        // the service account is bound but made no request: both its grants are unused.
        Assert.Equal(new[] { "Unused", "Unused" }, rows.Where(r => r.Subject == "ServiceAccount a/app").Select(r => r.Status));
    }

    [Fact]
    public void ARoleBindingGrantsOnlyInItsNamespaceAndServiceAccountsDefaultToIt()
    {
        var (index, _) = Index(Rbac);
        var sa = RbacSubject.ServiceAccount("a:app");
        var rows = Analyze(index, sa,
            Ev("get", user: "system:serviceaccount:a:app", resource: "pods", ns: "a", name: "p"),
            Ev("get", user: "system:serviceaccount:a:app", resource: "pods", ns: "b", name: "p"),
            Ev("get", user: "system:serviceaccount:a:app", resource: "pods", ns: "a", name: "p", sub: "log"));
        Assert.Equal(new[] { "Used", "Unused", "Missing", "Missing" }, rows.Select(r => r.Status));
        Assert.Equal("a", rows[0].Namespace);
        Assert.Equal(new[] { "get pods -n b p", "get pods/log -n a p" }, rows.Skip(2).Select(r => r.Permission));
    }

    [Fact]
    public void AGroupSubjectHasOnlyTheGrantsNamingTheGroup()
    {
        var (index, _) = Index(Rbac);
        var rows = Analyze(index, RbacSubject.Group("devs"),
            Ev("get", user: "bob", groups: ["devs"], resource: "secrets", ns: "x", name: "s"),
            Ev("get", user: "eve", groups: ["others"], resource: "pods", ns: "x", name: "p"));
        Assert.Equal(new[] { "Unused", "Used" }, rows.Select(r => r.Status));
        Assert.All(rows, r => Assert.Equal("Group devs", r.Subject));
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    [InlineData(true, true, true)]
    public void AGeneratedPolicyComparedWithItsOwnLogUsesEverythingAndMissesNothing(bool expandNamespace, bool expandName, bool exact)
    {
        const string sa = "system:serviceaccount:ci:deployer";
        AuditEvent[] events =
        [
            Ev("list", user: sa, resource: "pods", ns: "web"),
            Ev("get", user: sa, resource: "pods", ns: "web", name: "a"),
            Ev("get", user: sa, resource: "pods", ns: "db", name: "a"),
            Ev("get", user: sa, resource: "pods", ns: "db", name: "b"),
            Ev("create", user: sa, resource: "pods", ns: "web", name: "a", sub: "exec"),
            Ev("create", user: sa, resource: "configmaps", ns: "web", name: "new"),
            Ev("patch", user: sa, resource: "deployments", group: "apps", ns: "web", name: "front", code: 403, decision: "forbid"),
            Ev("watch", user: sa, resource: "nodes", stage: "RequestReceived"),
            Ev("get", user: sa, uri: "/metrics?x=1"),
            Ev("get", user: sa, uri: "/apis"),
            Ev("create", user: sa, resource: "selfsubjectreviews", group: "authentication.k8s.io"),
        ];
        var subject = RbacSubject.ServiceAccount("ci:deployer");
        var policy = Generate(subject, new RbacGeneratorOptions { ExpandMultiNamespace = expandNamespace, ExpandMultiName = expandName, ExactVerbs = exact }, events);
        var (index, notes) = Index(RbacYamlWriter.Write(policy));
        Assert.Empty(notes);

        var rows = Analyze(index, subject, events);
        Assert.Equal(policy.Roles.Sum(r => r.Rules.Count), rows.Count);
        Assert.All(rows, r => Assert.Equal(RbacPermissionUsage.Used, r.Status));
    }

    [Fact]
    public void AnImpersonatorsGeneratedPolicyIsUsedByItsImpersonations()
    {
        AuditEvent[] events =
        [
            Ev("list", user: "admin", resource: "pods", ns: "web", impersonate: "system:serviceaccount:ci:deployer"),
            Ev("get", user: "admin", resource: "nodes", name: "n1", impersonate: "bob"),
            Ev("get", user: "bob", resource: "nodes", name: "n2"),
        ];
        var admin = RbacSubject.User("admin");
        var policy = Generate(admin, new RbacGeneratorOptions(), events);
        var (index, notes) = Index(RbacYamlWriter.Write(policy));
        Assert.Empty(notes);

        var rows = Analyze(index, admin, events);
        Assert.Equal(new[] { "impersonate users [bob]", "impersonate serviceaccounts [deployer]" }, rows.Select(r => r.Permission));
        Assert.All(rows, r => Assert.Equal((RbacPermissionUsage.Used, 1), (r.Status, r.Count)));
        // Without a subject, bob's own grants are not in these files, so only admin is reported.
        Assert.All(Analyze(index, null, events), r => Assert.Equal("User admin", r.Subject));
    }
}
