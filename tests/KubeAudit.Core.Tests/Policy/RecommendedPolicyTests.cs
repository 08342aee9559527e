using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

/// <summary>The recommended policy is what Enable-KubeApiServerAudit installs: it must be spotless and do what its comments say.</summary>
public class RecommendedPolicyTests
{
    private static readonly LevelResolver s_resolver = new(PolicyBuilder.Yaml(RecommendedPolicy.Build()));

    [Fact]
    public void HasNoFindingsAtAll()
    {
        var result = PolicyChecker.CheckText(RecommendedPolicy.Build(), "recommended.yaml");

        Assert.Empty(result.Findings);
        Assert.True(result.IsValid && result.AcceptedByApiServer);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(29)]
    [InlineData(PolicyValidator.LatestMinor)]
    public void LoadsOnEverySupportedServer(int minor)
    {
        Assert.Empty(PolicyChecker.CheckText(RecommendedPolicy.Build(), "recommended.yaml", minor).Findings);
    }

    [Fact]
    public void IsLfOnly_AndEndsWithOneNewline()
    {
        var text = RecommendedPolicy.Build();

        Assert.DoesNotContain('\r', text);
        Assert.EndsWith(" - level: Metadata\n", text);
    }

    [Fact]
    public void EveryRuleHasACommentAbove()
    {
        var lines = RecommendedPolicy.Build().Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("- level:", StringComparison.Ordinal))
            {
                Assert.StartsWith("#", lines[i - 1].TrimStart());
            }
        }
    }

    [Fact]
    public void OmitsRequestReceived()
    {
        Assert.Equal([AuditStages.RequestReceived], s_resolver.Resolve(Resource("get", "", "pods", "", "default")).OmitStages);
    }

    [Theory]
    [InlineData("get", "", "secrets", "", "default", "Metadata")]
    [InlineData("create", "", "secrets", "", "default", "Metadata")]
    [InlineData("update", "", "configmaps", "", "kube-system", "Metadata")]
    [InlineData("create", "authentication.k8s.io", "tokenreviews", "", "", "Metadata")]
    [InlineData("create", "", "serviceaccounts", "token", "default", "Metadata")]
    [InlineData("create", "", "pods", "exec", "default", "Metadata")]
    [InlineData("get", "", "pods", "attach", "default", "Metadata")]
    [InlineData("create", "", "pods", "portforward", "default", "Metadata")]
    [InlineData("create", "rbac.authorization.k8s.io", "clusterrolebindings", "", "", "RequestResponse")]
    [InlineData("patch", "rbac.authorization.k8s.io", "roles", "", "default", "RequestResponse")]
    [InlineData("get", "rbac.authorization.k8s.io", "roles", "", "default", "Metadata")]
    [InlineData("create", "apps", "deployments", "", "default", "Request")]
    [InlineData("delete", "", "pods", "", "default", "Request")]
    [InlineData("list", "", "pods", "", "", "Metadata")]
    [InlineData("watch", "apps", "deployments", "", "default", "Metadata")]
    [InlineData("create", "", "events", "", "default", "None")]
    [InlineData("list", "events.k8s.io", "events", "", "default", "None")]
    [InlineData("proxy", "", "services", "proxy", "default", "Metadata")]
    public void Resources_GetTheDocumentedLevel(string verb, string group, string resource, string subresource, string ns, string level)
    {
        Assert.Equal(level, s_resolver.Resolve(Resource(verb, group, resource, subresource, ns)).Level);
    }

    [Theory]
    [InlineData("system:kube-scheduler", "system:authenticated", "update", "kube-system", "None")]
    [InlineData("system:kube-controller-manager", "system:authenticated", "get", "kube-system", "None")]
    [InlineData("system:node:worker-1", "system:nodes", "update", "kube-node-lease", "None")]
    [InlineData("alice", "system:authenticated", "update", "kube-system", "Request")]
    [InlineData("system:kube-scheduler", "system:authenticated", "delete", "kube-system", "Request")]
    public void LeaderElectionAndHeartbeats_AreNotLogged_OtherLeaseChangesAre(string user, string group, string verb, string ns, string level)
    {
        var request = Resource(verb, "coordination.k8s.io", "leases", "", ns);
        request.User = user;
        request.Groups = [group];

        Assert.Equal(level, s_resolver.Resolve(request).Level);
    }

    [Theory]
    [InlineData("/healthz", "None")]
    [InlineData("/healthz/etcd", "None")]
    [InlineData("/livez", "None")]
    [InlineData("/readyz/ping", "None")]
    [InlineData("/version", "None")]
    [InlineData("/metrics", "Metadata")]
    [InlineData("/openapi/v2", "Metadata")]
    public void NonResourceUrls(string path, string level)
    {
        var request = new AuditRequest { User = "alice", Groups = ["system:authenticated"], Verb = "get", Path = path };

        Assert.Equal(level, s_resolver.Resolve(request).Level);
    }

    private static AuditRequest Resource(string verb, string group, string resource, string subresource, string ns) => new()
    {
        User = "alice",
        Groups = ["system:authenticated"],
        Verb = verb,
        IsResourceRequest = true,
        ApiGroup = group,
        Resource = resource,
        Subresource = subresource,
        Namespace = ns,
        Name = verb is "create" or "list" or "watch" && subresource.Length == 0 ? string.Empty : "x",
    };
}
