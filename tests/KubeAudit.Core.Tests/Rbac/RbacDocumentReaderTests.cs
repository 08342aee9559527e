using KubeAudit.Core.Rbac;

namespace KubeAudit.Core.Tests.Rbac;

public sealed class RbacDocumentReaderTests
{
    [Fact]
    public void ListsAreFlattenedAndEachBadDocumentIsOneDiagnostic()
    {
        const string yaml = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata:
                name: view
                labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
              rules:
              - apiGroups: [""]
                resources: [pods]
                verbs: [get]
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: x}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: rb, namespace: team}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects:
            - {kind: ServiceAccount, name: app}
            - {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: bad, namespace: team}
            rules: oops
            ---
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"agg"},
             "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.authorization.k8s.io/aggregate-to-view":"true"}}]},"rules":[]}
            """;
        var result = new RbacReadResult();
        RbacDocumentReader.Read(yaml, "rbac.yaml", result);

        Assert.Equal(new[] { "ClusterRole view", "ClusterRole agg" }, result.Roles.Select(r => r.ToString()));
        var binding = Assert.Single(result.Bindings);
        Assert.Equal(new[] { "ServiceAccount team/app", "Group devs" }, binding.Subjects.Select(s => s.ToString()));
        Assert.Equal(2, result.Diagnostics.Count);
        Assert.Equal(RbacDiagnosticCodes.NotAnRbacObject, result.Diagnostics[0].Code);
        Assert.Contains("document 1 item 2", result.Diagnostics[0].Message);
        Assert.Equal("rbac.yaml", result.Diagnostics[0].File);
        Assert.Equal(RbacDiagnosticCodes.InvalidRbacObject, result.Diagnostics[1].Code);
        Assert.Contains("document 3", result.Diagnostics[1].Message);
        Assert.Equal(25, result.Diagnostics[1].Line);
        Assert.NotNull(result.Roles[1].AggregationSelectors);
        Assert.True(result.Roles[1].AggregationSelectors![0].Matches(result.Roles[0].Labels));
    }

    [Fact]
    public void ASyntaxErrorKeepsWhatCameBefore()
    {
        const string yaml = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a}\n---\nkind: [unclosed\n";
        var result = new RbacReadResult();
        RbacDocumentReader.Read(yaml, "x.yaml", result);
        Assert.Single(result.Roles);
        Assert.Equal("InvalidYaml", Assert.Single(result.Diagnostics).Code);
    }
}
