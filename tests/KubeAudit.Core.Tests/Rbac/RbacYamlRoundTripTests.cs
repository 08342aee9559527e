using KubeAudit.Core.Rbac;
using static KubeAudit.Core.Tests.Rbac.RbacEvents;

namespace KubeAudit.Core.Tests.Rbac;

public sealed class RbacYamlRoundTripTests
{
    private static AuditEvent[] Mixed() =>
    [
        Ev("list", user: "system:serviceaccount:ci:deployer", resource: "pods", ns: "web", time: "2024-05-01T10:00:00.5Z"),
        Ev("create", user: "system:serviceaccount:ci:deployer", resource: "pods", ns: "web", name: "debug", sub: "exec", time: "2024-05-01T10:01:00Z"),
        Ev("patch", user: "system:serviceaccount:ci:deployer", resource: "deployments", group: "apps", ns: "web", name: "front"),
        Ev("get", user: "system:serviceaccount:ci:deployer", resource: "secrets", ns: "db", name: "true"),
        Ev("get", user: "system:serviceaccount:ci:deployer", resource: "nodes", name: "node-1"),
        Ev("list", user: "system:serviceaccount:ci:deployer", resource: "namespaces"),
        Ev("get", user: "system:serviceaccount:ci:deployer", uri: "/metrics?format=text", time: "2024-05-01T11:59:59Z"),
        Ev("post", user: "system:serviceaccount:ci:deployer", uri: "/logs/*weird"),
    ];

    private static RbacPolicy Policy(AuditEvent[] events) =>
        Generate(RbacSubject.ServiceAccount("ci:deployer"), new RbacGeneratorOptions(), events);

    [Fact]
    public void YamlReadsBackIntoTheSameObjectsAndRules()
    {
        var policy = Policy(Mixed());
        var yaml = RbacYamlWriter.Write(policy);
        var read = new RbacReadResult();
        RbacDocumentReader.Read(yaml, "generated.yaml", read);
        Assert.Empty(read.Diagnostics);

        Assert.Equal(policy.Roles.Select(Describe), read.Roles.Select(Describe));
        Assert.Equal(policy.Bindings.Select(Describe), read.Bindings.Select(Describe));
        Assert.Equal(policy.Roles.Select(r => r.Annotations.ToArray()), read.Roles.Select(r => r.Annotations.ToArray()));
        Assert.Equal("2024-05-01T10:00:00.5Z", read.Roles[0].Annotations["kubeaudit/events-from"]);
        Assert.Equal("2024-05-01T12:00:00Z", read.Roles[0].Annotations["kubeaudit/events-to"]);
    }

    [Fact]
    public void EveryRequestIsAllowedByTheYamlAndNothingElseIsGranted()
    {
        var events = Mixed();
        var read = new RbacReadResult();
        RbacDocumentReader.Read(RbacYamlWriter.Write(Policy(events)), "generated.yaml", read);
        foreach (var ev in events)
        {
            var request = EventRequest.From(ev)!;
            var roles = read.Roles.Where(r => r.IsClusterRole || r.Namespace == request.Namespace);
            Assert.True(roles.SelectMany(r => r.Rules).Any(rule => RuleMatcher.Allows(rule, request)), request.ToString());
        }

        // Least privilege: another pod's exec, another namespace's secret, and delete are not granted.
        RequestAttributes[] others =
        [
            new() { IsResourceRequest = true, Verb = "create", Resource = "pods", Subresource = "exec", Namespace = "web", Name = "other" },
            new() { IsResourceRequest = true, Verb = "get", Resource = "secrets", Namespace = "web", Name = "true" },
            new() { IsResourceRequest = true, Verb = "delete", Resource = "pods", Namespace = "web", Name = "debug" },
            new() { Verb = "get", Path = "/metricsx" },
        ];
        foreach (var request in others)
        {
            var roles = read.Roles.Where(r => r.IsClusterRole || r.Namespace == request.Namespace);
            Assert.False(roles.SelectMany(r => r.Rules).Any(rule => RuleMatcher.Allows(rule, request)), request.ToString());
        }
    }

    [Fact]
    public void TheSameEventsInAnyOrderGiveTheSameBytes()
    {
        var events = Mixed();
        var first = RbacYamlWriter.Write(Policy(events));
        var reversed = RbacYamlWriter.Write(Policy(events.Reverse().ToArray()));
        Assert.Equal(first, reversed);
        Assert.StartsWith("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n", first);
        Assert.Contains("\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n", first);
        Assert.Contains("  - \"\"\n", first);
        Assert.Contains("  - \"true\"\n", first);
        Assert.Contains("- kind: ServiceAccount\n  name: deployer\n  namespace: ci\n", first);
    }

    [Theory]
    [InlineData("pods", "pods")]
    [InlineData("", "\"\"")]
    [InlineData("*", "\"*\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("No", "\"No\"")]
    [InlineData("2024-05-01T10:00:00Z", "\"2024-05-01T10:00:00Z\"")]
    [InlineData("123", "\"123\"")]
    [InlineData("kubeaudit:system:serviceaccount:a:b", "kubeaudit:system:serviceaccount:a:b")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("/metrics", "/metrics")]
    public void ScalarsAreQuotedWhenAReaderCouldTakeThemForSomethingElse(string value, string expected) =>
        Assert.Equal(expected, RbacYamlWriter.Scalar(value));

    private static string Describe(RbacRole r) =>
        $"{r.Kind} {r.Namespace}/{r.Name} [{string.Join(", ", r.Labels)}] " + string.Join(" ", r.Rules.Select(x => x.ToString()));

    private static string Describe(RbacBinding b) =>
        $"{b.Kind} {b.Namespace}/{b.Name} -> {b.RoleKind} {b.RoleName}: " + string.Join(" ", b.Subjects);
}
