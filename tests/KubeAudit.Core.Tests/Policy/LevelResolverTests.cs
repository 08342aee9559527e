using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

public class LevelResolverTests
{
    private static readonly string[] s_none = [];
    private static readonly string[] s_policyStages = ["RequestReceived", "ResponseStarted"];

    public static TheoryData<int, string, string[], string> AuditLevelCases()
    {
        var data = new TheoryData<int, string, string[], string>();
        foreach (var (number, request, rules, level) in CheckerFixtures.AuditLevelCases)
        {
            data.Add(number, request, rules, level);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AuditLevelCases))]
    public void Checker_AuditLevel_WithoutPolicyOmitStages(int number, string request, string[] rules, string level)
    {
        var decision = new LevelResolver(CheckerFixtures.PolicyOf(rules, s_none)).Resolve(CheckerFixtures.Request(request));

        Assert.True(level == decision.Level, $"case {number}: expected {level}, got {decision.Level}");
        Assert.Empty(decision.OmitStages);
    }

    [Theory]
    [MemberData(nameof(AuditLevelCases))]
    public void Checker_AuditLevel_WithPolicyOmitStages(int number, string request, string[] rules, string level)
    {
        var decision = new LevelResolver(CheckerFixtures.PolicyOf(rules, s_policyStages)).Resolve(CheckerFixtures.Request(request));

        Assert.True(level == decision.Level, $"case {number}: expected {level}, got {decision.Level}");
        AssertSameSet(s_policyStages, decision.OmitStages);
    }

    [Fact]
    public void Checker_Has46Cases()
    {
        Assert.Equal(Enumerable.Range(1, 46), CheckerFixtures.AuditLevelCases.Select(c => c.Number));
    }

    [Theory]
    [InlineData("C1", "namespaced", "omit RequestReceived,getPods,default", "Request", "RequestReceived")]
    [InlineData("C2", "namespaced", "only audit panic,getPods,default", "Request", "RequestReceived,ResponseStarted,ResponseComplete")]
    [InlineData("C3", "cluster", "omit RequestReceived,getPods,default", "Request", "RequestReceived")]
    [InlineData("C4", "cluster", "only audit panic,getPods,default", "Request", "RequestReceived,ResponseStarted,ResponseComplete")]
    [InlineData("C5", "nonResource", "omit RequestReceived,getPods,default", "Request", "RequestReceived")]
    [InlineData("C6", "nonResource", "only audit panic,getPods,default", "Request", "RequestReceived,ResponseStarted,ResponseComplete")]
    public void Checker_RuleOmitStages_WithoutPolicyOmitStages(string id, string request, string rules, string level, string stages)
    {
        var decision = new LevelResolver(CheckerFixtures.PolicyOf(rules.Split(','), s_none)).Resolve(CheckerFixtures.Request(request));

        Assert.True(level == decision.Level, id);
        AssertSameSet(stages.Split(','), decision.OmitStages);
    }

    [Theory]
    [InlineData("P1", "namespaced", "omit RequestReceived,getPods,default", "Request", "RequestReceived,ResponseStarted")]
    [InlineData("P2", "namespaced", "only audit panic,getPods,default", "Request", "RequestReceived,ResponseStarted,ResponseComplete")]
    [InlineData("P3", "cluster", "omit RequestReceived,getPods,default", "Request", "RequestReceived,ResponseStarted")]
    [InlineData("P4", "cluster", "only audit panic,getPods,default", "Request", "RequestReceived,ResponseStarted,ResponseComplete")]
    [InlineData("P5", "nonResource", "default,omit RequestReceived,getPods", "Metadata", "RequestReceived,ResponseStarted")]
    [InlineData("P6", "nonResource", "only audit panic,getPods,default", "Request", "RequestReceived,ResponseStarted,ResponseComplete")]
    public void Checker_RuleOmitStages_WithPolicyOmitStages(string id, string request, string rules, string level, string stages)
    {
        var decision = new LevelResolver(CheckerFixtures.PolicyOf(rules.Split(','), s_policyStages)).Resolve(CheckerFixtures.Request(request));

        Assert.True(level == decision.Level, id);
        AssertSameSet(stages.Split(','), decision.OmitStages);
    }

    [Theory]
    [InlineData("", "", "")]
    [InlineData("RequestReceived", "", "RequestReceived")]
    [InlineData("RequestReceived", "RequestReceived", "RequestReceived")]
    [InlineData("RequestReceived", "ResponseStarted", "RequestReceived,ResponseStarted")]
    [InlineData("RequestReceived,RequestReceived", "RequestReceived,RequestReceived", "RequestReceived")]
    [InlineData("RequestReceived,ResponseStarted", "Panic,RequestReceived", "RequestReceived,ResponseStarted,Panic")]
    [InlineData(null, "RequestReceived", "RequestReceived")]
    public void UnionStages_IsASetUnion(string? s1, string s2, string expected)
    {
        var union = AuditStages.Union(Split(s1), Split(s2));

        AssertSameSet(Split(expected)!, union);
        Assert.Equal(Split(expected)!.Length, union.Length);
    }

    [Fact]
    public void UnionStages_IsInCanonicalOrder()
    {
        Assert.Equal(["RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"], AuditStages.Union(["Panic", "ResponseComplete"], ["ResponseStarted", "RequestReceived"]));
    }

    [Theory]
    [InlineData("ResponseStarted", "RequestReceived,ResponseComplete,Panic")]
    [InlineData("ResponseStarted,RequestReceived", "ResponseComplete,Panic")]
    [InlineData("", "RequestReceived,ResponseStarted,ResponseComplete,Panic")]
    [InlineData("RequestReceived,ResponseStarted,ResponseComplete,Panic", "")]
    public void InvertStages_GivesTheOthers(string input, string expected)
    {
        AssertSameSet(Split(expected)!, AuditStages.Invert(Split(input)));
    }

    [Theory]
    [InlineData(false, null, false)]
    [InlineData(true, null, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    public void OmitManagedFields_RuleOverridesPolicy(bool policyValue, bool? ruleValue, bool expected)
    {
        var rule = new AuditPolicyRule { Level = "RequestResponse", Verbs = ["get"], OmitManagedFields = ruleValue };
        var policy = PolicyBuilder.Build([rule], [], policyValue);

        var decision = new LevelResolver(policy).Resolve(new AuditRequest { Verb = "get" });

        Assert.Equal("RequestResponse", decision.Level);
        Assert.Equal(expected, decision.OmitManagedFields);
    }

    [Fact]
    public void NoMatch_GivesNoneWithThePolicyDefaults()
    {
        var policy = PolicyBuilder.Build([new AuditPolicyRule { Level = "Metadata", Verbs = ["create"] }], ["ResponseStarted"], true);

        var decision = new LevelResolver(policy).Resolve(CheckerFixtures.Request("namespaced"));

        Assert.Equal("None", decision.Level);
        Assert.Equal(["ResponseStarted"], decision.OmitStages);
        Assert.True(decision.OmitManagedFields);
        Assert.Null(decision.RuleIndex);
        Assert.Null(decision.RuleLine);
        Assert.Null(decision.Rule);
    }

    [Fact]
    public void Match_NamesTheRuleAndItsLine()
    {
        var policy = CheckerFixtures.PolicyOf(["getMetrics", "getPods", "default"], s_none);
        var request = CheckerFixtures.Request("namespaced");

        var decision = new LevelResolver(policy).Resolve(request);

        Assert.Equal(1, decision.RuleIndex);
        Assert.Equal(policy.Rules[1].Line, decision.RuleLine);
        Assert.Same(policy.Rules[1], decision.Rule);
        Assert.Same(request, decision.Request);
        Assert.Null(decision.Event);
    }

    [Theory]
    [InlineData("pods/*", "pods", "", true)] // the plain resource too (§2.5)
    [InlineData("pods/*", "pods", "exec", true)]
    [InlineData("pods/*", "podsx", "", false)]
    [InlineData("*/status", "deployments", "status", true)]
    [InlineData("*/status", "status", "", false)]
    [InlineData("*", "anything", "sub", true)]
    [InlineData("pods/log", "pods", "log", true)]
    [InlineData("pods/log", "pods", "", false)]
    [InlineData("pods", "pods", "log", false)]
    [InlineData("*/*", "pods", "log", false)]
    [InlineData("*/*", "pods", "*", true)]
    public void Resources_Patterns(string pattern, string resource, string subresource, bool matches)
    {
        var policy = PolicyBuilder.Build(new AuditPolicyRule { Level = "Request", Resources = [PolicyBuilder.Group("", [pattern])] });
        var request = new AuditRequest { User = "u", Verb = "get", IsResourceRequest = true, Resource = resource, Subresource = subresource, Namespace = "ns" };

        Assert.Equal(matches ? "Request" : "None", new LevelResolver(policy).Resolve(request).Level);
    }

    [Theory]
    [InlineData("/logs*", "/logs", true)]
    [InlineData("/logs*", "/logs/", true)]
    [InlineData("/logs*", "/logsfoo", true)]
    [InlineData("/logs**", "/logsfoo", true)]
    [InlineData("/logs*", "/log", false)]
    [InlineData("/healthz*", "/healthz/etcd", true)]
    [InlineData("/metrics", "/metrics/x", false)]
    [InlineData("*", "/anything", true)]
    [InlineData("/a*b", "/axb", false)] // '*' before the end is literal
    [InlineData("/a*b", "/a*b", true)]
    public void NonResourceUrls_Patterns(string spec, string path, bool matches)
    {
        var policy = PolicyBuilder.Build(new AuditPolicyRule { Level = "Metadata", NonResourceURLs = [spec] });

        Assert.Equal(matches ? "Metadata" : "None", new LevelResolver(policy).Resolve(new AuditRequest { Verb = "get", Path = path }).Level);
    }

    [Fact]
    public void ResourceRules_NeverMatchNonResourceRequests_AndViceVersa()
    {
        var policy = PolicyBuilder.Build(
            new AuditPolicyRule { Level = "Request", Namespaces = ["default"] },
            new AuditPolicyRule { Level = "Metadata", NonResourceURLs = ["*"] });
        var resolver = new LevelResolver(policy);

        // A non-resource request skips the namespaces rule even with a matching namespace set.
        Assert.Equal(1, resolver.Resolve(new AuditRequest { Verb = "get", Namespace = "default", Path = "/x" }).RuleIndex);
        Assert.Equal(0, resolver.Resolve(new AuditRequest { Verb = "get", IsResourceRequest = true, Namespace = "default", Resource = "pods" }).RuleIndex);
        Assert.Equal("None", resolver.Resolve(new AuditRequest { Verb = "get", IsResourceRequest = true, Namespace = "other", Resource = "pods" }).Level);
    }

    [Fact]
    public void ResourcesWin_OverNonResourceUrls_InOneRule()
    {
        // Validation forbids the combination; the checker then only consults the resource side.
        var policy = PolicyBuilder.Build(new AuditPolicyRule { Level = "Metadata", Namespaces = ["default"], NonResourceURLs = ["*"] });

        Assert.Equal("None", new LevelResolver(policy).Resolve(new AuditRequest { Verb = "get", Path = "/healthz" }).Level);
    }

    [Theory]
    [InlineData("users", "*")]
    [InlineData("userGroups", "*")]
    [InlineData("verbs", "*")]
    [InlineData("namespaces", "*")]
    [InlineData("resourceNames", "*")]
    public void Star_IsLiteral_WhereThereIsNoWildcard(string field, string value)
    {
        var rule = new AuditPolicyRule { Level = "Metadata" };
        switch (field)
        {
            case "users": rule.Users = [value]; break;
            case "userGroups": rule.UserGroups = [value]; break;
            case "verbs": rule.Verbs = [value]; break;
            case "namespaces": rule.Namespaces = [value]; break;
            default: rule.Resources = [PolicyBuilder.Group("", ["pods"], [value])]; break;
        }

        var request = new AuditRequest { User = "bob", Groups = ["devs"], Verb = "get", IsResourceRequest = true, Namespace = "default", Resource = "pods", Name = "p" };

        Assert.Equal("None", new LevelResolver(PolicyBuilder.Build(rule)).Resolve(request).Level);
    }

    [Fact]
    public void Groups_AnyOneMatches_ButNeedAUser()
    {
        var policy = PolicyBuilder.Build(new AuditPolicyRule { Level = "Metadata", UserGroups = ["a", "b"] });
        var resolver = new LevelResolver(policy);

        Assert.Equal("Metadata", resolver.Resolve(new AuditRequest { User = "", Groups = ["x", "b"], Verb = "get" }).Level);
        Assert.Equal("None", resolver.Resolve(new AuditRequest { User = null, Groups = ["b"], Verb = "get" }).Level);
    }

    [Fact]
    public void ResourcesWithoutNames_IgnoreResourceNamesWhenResourcesAreEmpty()
    {
        var policy = PolicyBuilder.Build(new AuditPolicyRule { Level = "Metadata", Resources = [PolicyBuilder.Group("", null, ["leader"])] });

        Assert.Equal("Metadata", new LevelResolver(policy).Resolve(new AuditRequest { Verb = "get", IsResourceRequest = true, Resource = "pods", Name = "other" }).Level);
    }

    [Fact]
    public void LongLists_UseTheSameSemantics()
    {
        var users = Enumerable.Range(0, 40).Select(i => "user" + i).ToArray();
        var policy = PolicyBuilder.Build(new AuditPolicyRule { Level = "Metadata", Users = users, Resources = [PolicyBuilder.Group("", [.. users.Select(u => u + "/log")])] });
        var resolver = new LevelResolver(policy);

        Assert.Equal("Metadata", resolver.Resolve(new AuditRequest { User = "user39", Verb = "get", IsResourceRequest = true, Resource = "user7", Subresource = "log" }).Level);
        Assert.Equal("None", resolver.Resolve(new AuditRequest { User = "user40", Verb = "get", IsResourceRequest = true, Resource = "user7", Subresource = "log" }).Level);
    }

    [Fact]
    public void MatchIndexAndResolveLevel_AgreeWithResolve()
    {
        var policy = CheckerFixtures.PolicyOf(["getMetrics", "getPods", "default"], s_none);
        var resolver = new LevelResolver(policy);

        foreach (var id in new[] { "namespaced", "cluster", "nonResource", "subresource", "Unauthorized", "ClusterRoleUpdate" })
        {
            var request = CheckerFixtures.Request(id);
            var decision = resolver.Resolve(request);
            Assert.Equal(decision.RuleIndex ?? -1, resolver.MatchIndex(request));
            Assert.Equal(decision.Level, resolver.ResolveLevel(request));
        }
    }

    [Fact]
    public void Decisions_DoNotShareStageArrays()
    {
        var resolver = new LevelResolver(CheckerFixtures.PolicyOf(["omit RequestReceived"], s_none));

        var first = resolver.Resolve(CheckerFixtures.Request("namespaced"));
        first.OmitStages[0] = "changed";

        Assert.Equal(["RequestReceived"], resolver.Resolve(CheckerFixtures.Request("namespaced")).OmitStages);
    }

    [Fact]
    public void ResolveEvent_MapsTheEventAndKeepsIt()
    {
        var e = ReaderHelpers.ParseOne("""
            {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a","stage":"ResponseComplete",
             "requestURI":"/api/v1/namespaces/default/pods/busybox/log?container=x","verb":"get",
             "user":{"username":"tim@k8s.io","groups":["humans"]},
             "objectRef":{"resource":"pods","namespace":"default","name":"busybox","apiVersion":"v1","subresource":"log"},
             "requestReceivedTimestamp":null,"stageTimestamp":null}
            """);
        var resolver = new LevelResolver(CheckerFixtures.PolicyOf(["getPodLogs", "getPods"], s_none));

        var decision = resolver.Resolve(e);

        Assert.Equal("Request", decision.Level);
        Assert.Same(e, decision.Event);
        Assert.Equal("/api/v1/namespaces/default/pods/busybox/log", decision.Request.Path);
    }

    [Fact]
    public void ManyEvaluations_GiveTheSameAnswers()
    {
        // Correctness under repetition only; speed is measured by the benchmark suite, not here.
        var resolver = new LevelResolver(CheckerFixtures.PolicyOf(["getMetrics", "getPodLogs", "getPods", "getClusterRoles", "default"], s_none));
        var requests = new[] { "namespaced", "cluster", "nonResource", "subresource", "Unauthorized", "ClusterRoleUpdate" }.Select(CheckerFixtures.Request).ToArray();
        var expected = requests.Select(resolver.MatchIndex).ToArray();

        for (var i = 0; i < 100_000; i++)
        {
            Assert.Equal(expected[i % requests.Length], resolver.MatchIndex(requests[i % requests.Length]));
        }

        Assert.Equal([2, 3, 4, 1, 2, 4], expected);
    }

    private static string[]? Split(string? s) => s is null ? null : s.Length == 0 ? [] : s.Split(',');

    private static void AssertSameSet(IEnumerable<string> expected, IEnumerable<string> actual) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal).Distinct(), actual.Order(StringComparer.Ordinal));
}
