using KubeAudit.Core.Rbac;

namespace KubeAudit.Core.Tests.Rbac;

/// <summary>The one-line rule text the RBAC tables show (kubectl-describe-like), not the Go struct.</summary>
public sealed class PolicyRuleTextTests
{
    [Theory]
    [InlineData(new[] { "get", "list", "watch" }, new[] { "" }, new[] { "pods", "nodes" }, new string[0], new string[0], "get,list,watch pods,nodes")]
    [InlineData(new[] { "get", "list" }, new[] { "apps" }, new[] { "deployments" }, new[] { "web" }, new string[0], "get,list apps/deployments [web]")]
    [InlineData(new[] { "get" }, new string[0], new string[0], new string[0], new[] { "/metrics" }, "get /metrics")]
    [InlineData(new[] { "get" }, new string[0], new string[0], new string[0], new[] { "/healthz", "/livez*" }, "get /healthz,/livez*")]
    [InlineData(new[] { "create" }, new[] { "" }, new[] { "pods/exec" }, new[] { "a", "b" }, new string[0], "create pods/exec [a,b]")]
    [InlineData(new[] { "*" }, new[] { "*" }, new[] { "*" }, new string[0], new string[0], "* */*")]
    [InlineData(new[] { "get" }, new[] { "apps", "extensions" }, new[] { "deployments", "replicasets" }, new string[0], new string[0],
        "get apps/deployments,apps/replicasets,extensions/deployments,extensions/replicasets")]
    public void ReadsAsVerbsResourcesNamesOrUrls(string[] verbs, string[] groups, string[] resources, string[] names, string[] urls, string expected)
    {
        var rule = new PolicyRule { Verbs = verbs, ApiGroups = groups, Resources = resources, ResourceNames = names, NonResourceUrls = urls };
        Assert.Equal(expected, rule.Text);
        // The Go-struct form stays what ToString gives, for the YAML round-trip tests and kube-apiserver's messages.
        Assert.StartsWith("{", rule.ToString());
    }


    [Fact]
    public void AnExplanationShowsTheTextAndKeepsTheStructuredRule()
    {
        var policy = RbacEvents.Generate(RbacSubject.User("bob"), new RbacGeneratorOptions { ExactVerbs = true },
            [RbacEvents.Ev("get", user: "bob", resource: "deployments", group: "apps", ns: "shop", name: "web")]);
        var why = Assert.Single(RbacRuleExplanation.From(policy));
        Assert.Equal("get apps/deployments [web]", why.Rule);
        Assert.Equal(why.PolicyRule.Text, why.Rule);
        Assert.Equal(new[] { "web" }, why.PolicyRule.ResourceNames);
    }
}
