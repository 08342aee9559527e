using KubeAudit.Core.Rbac;

namespace KubeAudit.Core.Tests.Rbac;

/// <summary>
/// The cases of kube-apiserver's TestRuleMatches and TestAuthorizer (plugin/pkg/auth/authorizer/rbac/rbac_test.go),
/// plus edge cases of evaluation_helpers.go (*/subresource length check, trailing stars, names).
/// </summary>
public sealed class RuleMatcherTests
{
    private static PolicyRule Rule(string verbs, string? groups = null, string resources = "", string urls = "", string names = "") => new()
    {
        Verbs = Split(verbs),
        ApiGroups = groups is null ? [] : groups.Split(','), // "" is the core group
        Resources = Split(resources),
        NonResourceUrls = Split(urls),
        ResourceNames = Split(names),
    };

    private static string[] Split(string s) => s.Length == 0 ? [] : s.Split(',');

    private static RequestAttributes Res(string verb, string group, string resource, string subresource = "", string name = "") =>
        new() { IsResourceRequest = true, Verb = verb, ApiGroup = group, Resource = resource, Subresource = subresource, Name = name };

    private static RequestAttributes Url(string verb, string path) => new() { Verb = verb, Path = path };

    [Theory]
    // star verb, exact match other
    [InlineData("*", "group1", "resource1", "verb1", "group1", "resource1", true)]
    [InlineData("*", "group1", "resource1", "verb1", "group2", "resource1", false)]
    [InlineData("*", "group1", "resource1", "verb1", "group1", "resource2", false)]
    [InlineData("*", "group1", "resource1", "verb2", "group1", "resource1", true)]
    [InlineData("*", "group1", "resource1", "verb2", "group2", "resource2", false)]
    // star group, exact match other
    [InlineData("verb1", "*", "resource1", "verb1", "group1", "resource1", true)]
    [InlineData("verb1", "*", "resource1", "verb1", "group2", "resource1", true)]
    [InlineData("verb1", "*", "resource1", "verb1", "group1", "resource2", false)]
    [InlineData("verb1", "*", "resource1", "verb2", "group1", "resource1", false)]
    // star resource, exact match other
    [InlineData("verb1", "group1", "*", "verb1", "group1", "resource1", true)]
    [InlineData("verb1", "group1", "*", "verb1", "group1", "resource2", true)]
    [InlineData("verb1", "group1", "*", "verb1", "group2", "resource1", false)]
    [InlineData("verb1", "group1", "*", "verb2", "group1", "resource1", false)]
    // tuple expansion
    [InlineData("verb1,verb2", "group1,group2", "resource1,resource2", "verb1", "group2", "resource2", true)]
    [InlineData("verb1,verb2", "group1,group2", "resource1,resource2", "verb2", "group1", "resource1", true)]
    [InlineData("verb1,verb2", "group1,group2", "resource1,resource2", "verb3", "group1", "resource1", false)]
    // verbs, groups and resources are case-sensitive (TestAuthorizer: "GET" fails)
    [InlineData("get", "", "pods", "GET", "", "pods", false)]
    [InlineData("get", "", "pods", "get", "", "Pods", false)]
    public void ResourceRules(string verbs, string groups, string resources, string verb, string group, string resource, bool expected) =>
        Assert.Equal(expected, RuleMatcher.Allows(Rule(verbs, groups, resources), Res(verb, group, resource)));

    [Theory]
    // subresource expansion: resource1/subresource1 only
    [InlineData("resource1/subresource1", "group1", "resource1", "subresource1", true)]
    [InlineData("resource1/subresource1", "group2", "resource1", "subresource2", false)]
    [InlineData("resource1/subresource1", "group1", "resource2", "subresource1", false)]
    // TestAuthorizer subresource resolution: pods does not cover pods/status, nor pods/status pods
    [InlineData("pods", "", "pods", "status", false)]
    [InlineData("pods/status", "", "pods", "status", true)]
    [InlineData("pods/status", "", "pods", "", false)]
    // */subresource: any resource's subresource, of exactly that name
    [InlineData("*/status", "", "pods", "status", true)]
    [InlineData("*/status", "apps", "deployments", "status", true)]
    [InlineData("*/status", "", "pods", "", false)]
    [InlineData("*/status", "", "pods", "log", false)]
    [InlineData("*/stat", "", "pods", "status", false)]
    [InlineData("*/atus", "", "pods", "status", false)]
    [InlineData("*", "", "pods", "exec", true)]
    [InlineData("pods/*", "", "pods", "exec", false)]
    public void Subresources(string resources, string group, string resource, string subresource, bool expected) =>
        Assert.Equal(expected, RuleMatcher.Allows(Rule("*", "*", resources), Res("get", group, resource, subresource)));

    [Theory]
    [InlineData("", "", true)]
    [InlineData("", "x", true)]
    [InlineData("a,b", "b", true)]
    [InlineData("a,b", "c", false)]
    [InlineData("a", "", false)]
    [InlineData("*", "a", false)] // resourceNames has no wildcard
    public void ResourceNames(string names, string name, bool expected) =>
        Assert.Equal(expected, RuleMatcher.Allows(Rule("get", "", "pods", names: names), Res("get", "", "pods", name: name)));

    [Theory]
    // star nonresource
    [InlineData("verb1", "*", "verb1", "/foo", true)]
    [InlineData("verb1", "*", "verb1", "/foo/bar/one", true)]
    [InlineData("verb1", "*", "verb2", "/foo", false)]
    // star nonresource subpath
    [InlineData("verb1", "/foo/*", "verb1", "/foo", false)]
    [InlineData("verb1", "/foo/*", "verb1", "/foo/bar", true)]
    [InlineData("verb1", "/foo/*", "verb1", "/foo/baz/one", true)]
    [InlineData("verb1", "/foo/*", "verb1", "/notfoo", false)]
    [InlineData("verb1", "/foo/*", "verb1", "/notfoo/bar/one", false)]
    // star verb, exact nonresource
    [InlineData("*", "/foo,/foo/bar/one", "verb1", "/foo", true)]
    [InlineData("*", "/foo,/foo/bar/one", "verb2", "/foo/bar", false)]
    [InlineData("*", "/foo,/foo/bar/one", "verb2", "/foo/bar/one", true)]
    [InlineData("*", "/foo,/foo/bar/one", "verb1", "/foo/baz/one", false)]
    // TestAuthorizer non-resource: /apis, /apis/*
    [InlineData("get", "/apis", "watch", "/apis", false)]
    [InlineData("get", "/apis", "get", "/api/v1", false)]
    [InlineData("get", "/apis/*", "get", "/apis/v1/foobar", true)]
    [InlineData("get", "/apis/*", "get", "/api/v1", false)]
    // a prefix is a string prefix, and every trailing star is trimmed
    [InlineData("get", "/api*", "get", "/apis-foo", true)]
    [InlineData("get", "/metrics**", "get", "/metrics", true)]
    [InlineData("get", "/metrics", "get", "/metrics/", false)]
    public void NonResourceUrls(string verbs, string urls, string verb, string path, bool expected) =>
        Assert.Equal(expected, RuleMatcher.Allows(Rule(verbs, urls: urls), Url(verb, path)));

    [Fact]
    public void ResourceRulesNeverMatchNonResourceRequestsAndBackAgain()
    {
        var resourceRule = Rule("*", "*", "*");
        var urlRule = Rule("*", urls: "*");
        Assert.False(RuleMatcher.Allows(resourceRule, Url("get", "/healthz")));
        Assert.False(RuleMatcher.Allows(urlRule, Res("get", "", "pods")));
    }
}
