using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

public class PolicyLinterTests
{
    private const string Header = "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n";

    // Logs pod access, RBAC changes and token requests, so the coverage checks stay quiet unless tested.
    private const string Coverage = """
          - level: Metadata
            resources:
            - group: ""
              resources: ["pods/exec", "pods/attach", "pods/portforward", "serviceaccounts/token"]
            - group: rbac.authorization.k8s.io
              resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"]

        """;

    private static IReadOnlyList<PolicyFinding> Lint(string rules, string header = Header) =>
        PolicyLinter.Lint(PolicyBuilder.Yaml(header + rules));

    private static List<PolicyFinding> Codes(IReadOnlyList<PolicyFinding> findings, string code) =>
        findings.Where(f => f.Code == code).ToList();

    [Fact]
    public void QuietPolicy_HasNoWarnings()
    {
        var findings = Lint(Coverage + """
              - level: Metadata
                resources:
                - group: ""
                  resources: ["secrets", "configmaps"]
                - group: authentication.k8s.io
                  resources: ["tokenreviews"]
              - level: RequestResponse
                verbs: ["create", "update", "patch", "delete"]
              - level: Metadata
            """);

        Assert.Empty(findings);
    }

    [Fact]
    public void GuideExample_ReportsSecretsAndTheNamespaceStar()
    {
        var policy = AuditPolicyReader.ReadFile(TestPaths.CorpusFile("policies", "guide-example-policy.yaml")).Policy!;

        var findings = PolicyLinter.Lint(policy);

        var secrets = Assert.Single(findings, f => f.Code == PolicyFindingCodes.CredentialBodies && f.Message.Contains("of secrets"));
        Assert.Equal(1, secrets.RuleIndex);
        Assert.Equal("rules[1].level", secrets.Path);
        Assert.Equal(policy.Rules[1].Line, secrets.Line);
        Assert.Equal("Warning", secrets.Severity);
        Assert.False(string.IsNullOrEmpty(secrets.Hint));
        var star = Assert.Single(findings, f => f.Code == PolicyFindingCodes.LiteralWildcard);
        Assert.Equal("rules[3].namespaces[0]", star.Path);
        Assert.Equal(3, star.RuleIndex);
        Assert.StartsWith("rules[3].namespaces[0]: \"*\" is compared literally", star.Message);
    }

    [Theory]
    [InlineData("RequestResponse", "[get]", true)]
    [InlineData("RequestResponse", "[list]", true)]
    [InlineData("Request", "[create]", true)]
    [InlineData("Request", "[patch, update]", true)]
    [InlineData("Request", "[get, list, watch]", false)] // reads have no request body
    [InlineData("Metadata", "[create, get]", false)]
    [InlineData("None", "[create, get]", false)]
    public void Secrets_BodyLevels(string level, string verbs, bool flagged)
    {
        var findings = Lint(Coverage + $"""
              - level: {level}
                verbs: {verbs}
                resources:
                - group: ""
                  resources: ["secrets"]
              - level: Metadata
            """);

        Assert.Equal(flagged, findings.Any(f => f.Code == PolicyFindingCodes.CredentialBodies && f.Message.Contains("of secrets")));
    }

    [Fact]
    public void Secrets_ShieldedByAnEarlierMetadataRule_AreNotReported()
    {
        var findings = Lint(Coverage + """
              - level: Metadata
                resources:
                - group: ""
                  resources: ["secrets"]
              - level: RequestResponse
            """);

        Assert.DoesNotContain(findings, f => f.Code == PolicyFindingCodes.CredentialBodies && f.Message.Contains("of secrets"));
        Assert.Contains(findings, f => f.Code == PolicyFindingCodes.CredentialBodies && f.Message.Contains("of configmaps") && f.RuleIndex == 2);
        Assert.Contains(findings, f => f.Code == PolicyFindingCodes.CredentialBodies && f.Message.Contains("of tokenreviews"));
    }

    [Fact]
    public void Secrets_ShieldedOnlyInOneNamespace_AreStillReported()
    {
        var findings = Lint(Coverage + """
              - level: Metadata
                namespaces: ["kube-system"]
                resources:
                - group: ""
                  resources: ["secrets"]
              - level: RequestResponse
            """);

        Assert.Contains(findings, f => f.Code == PolicyFindingCodes.CredentialBodies && f.Message.Contains("of secrets") && f.RuleIndex == 2);
    }

    [Fact]
    public void Credentials_ForNamedUsersGroupsAndObjects_AreFound()
    {
        var findings = Lint(Coverage + """
              - level: RequestResponse
                users: ["system:serviceaccount:ci:deployer"]
                userGroups: ["ci-bots"]
                namespaces: ["ci"]
                resources:
                - group: ""
                  resources: ["secrets"]
                  resourceNames: ["registry-credentials"]
              - level: Metadata
            """);

        var finding = Assert.Single(findings, f => f.Code == PolicyFindingCodes.CredentialBodies);
        Assert.Contains("registry-credentials", finding.Message);
        Assert.Contains("system:serviceaccount:ci:deployer", finding.Message);
    }

    [Fact]
    public void TokenRequests_OnlyTheResponseCarriesTheToken()
    {
        const string rule = """
              - level: {0}
                resources:
                - group: ""
                  resources: ["serviceaccounts/token"]

            """;

        Assert.Contains(Lint(string.Format(CultureInfo.InvariantCulture, rule, "RequestResponse") + Coverage), f => f.Code == PolicyFindingCodes.CredentialBodies && f.Message.Contains("serviceaccounts/token"));
        Assert.DoesNotContain(Lint(string.Format(CultureInfo.InvariantCulture, rule, "Request") + Coverage), f => f.Code == PolicyFindingCodes.CredentialBodies);
    }

    [Theory]
    [InlineData("namespaces: [\"*\"]", "rules[1].namespaces[0]", "Remove namespaces to match every namespace.")]
    [InlineData("users: [alice, \"*\"]", "rules[1].users[1]", "Remove users to match every user.")]
    [InlineData("userGroups: [\"system:serviceaccounts:kube-*\"]", "rules[1].userGroups[0]", null)]
    [InlineData("verbs: [\"*\"]", "rules[1].verbs[0]", "Remove verbs to match every verb.")]
    [InlineData("resources: [{group: \"\", resources: [pods], resourceNames: [\"web-*\"]}]", "rules[1].resources[0].resourceNames[0]", null)]
    public void LiteralStar_IsReported(string field, string path, string? hint)
    {
        var findings = Lint(Coverage + $"  - level: None\n    {field}\n  - level: Metadata\n");

        var finding = Assert.Single(findings, f => f.Code == PolicyFindingCodes.LiteralWildcard);
        Assert.Equal(path, finding.Path);
        Assert.Equal(1, finding.RuleIndex);
        if (hint is not null)
        {
            Assert.Equal(hint, finding.Hint);
        }
    }

    [Theory]
    [InlineData("nonResourceURLs: [\"/healthz*\", \"*\"]")]
    [InlineData("resources: [{group: \"\", resources: [\"*\", \"pods/*\", \"*/status\"]}]")]
    public void RealWildcards_AreNotReported(string field)
    {
        Assert.DoesNotContain(Lint(Coverage + $"  - level: None\n    {field}\n  - level: Metadata\n"), f => f.Code == PolicyFindingCodes.LiteralWildcard);
    }

    [Theory]
    [InlineData("- level: Metadata", "- level: None\n    verbs: [get]", 0)]
    [InlineData("- level: None\n    users: [a, b]", "- level: Metadata\n    users: [a]\n    verbs: [get]", 0)]
    [InlineData("- level: None\n    userGroups: [a, b]", "- level: Metadata\n    userGroups: [b]", 0)]
    [InlineData("- level: None\n    resources: [{group: \"\", resources: [\"pods/*\"]}]", "- level: Metadata\n    resources: [{group: \"\", resources: [pods, pods/log]}]", 0)]
    [InlineData("- level: None\n    resources: [{group: \"\", resources: [\"*/status\"]}]", "- level: Metadata\n    resources: [{group: \"\", resources: [pods/status]}]", 0)]
    [InlineData("- level: None\n    resources: [{group: \"*\"}]", "- level: Metadata\n    resources: [{group: apps, resources: [deployments]}]", 0)]
    [InlineData("- level: None\n    resources: [{group: \"\"}]", "- level: Metadata\n    namespaces: [default]\n    resources: [{group: \"\", resources: [pods], resourceNames: [x]}]", 0)]
    [InlineData("- level: None\n    namespaces: [a, b]", "- level: Metadata\n    namespaces: [a]\n    resources: [{group: apps}]", 0)]
    [InlineData("- level: None\n    nonResourceURLs: [\"/healthz*\"]", "- level: Metadata\n    nonResourceURLs: [/healthz/etcd, \"/healthz/log*\"]", 0)]
    [InlineData("- level: None\n    nonResourceURLs: [\"*\"]", "- level: Metadata\n    nonResourceURLs: [\"/x\"]", 0)]
    [InlineData("- level: None\n    verbs: [get]\n    resources: [{group: \"\", resources: [pods]}]", "- level: None\n    verbs: [get]\n    resources: [{group: \"\", resources: [pods]}]", 0)]
    public void ShadowedRule_IsReported(string earlier, string later, int by)
    {
        var findings = Lint(Coverage + $"  {earlier}\n  {later}\n  - level: Metadata\n");

        // rules[0] is the coverage rule; the trailing catch-all may be shadowed too.
        var finding = Assert.Single(findings, f => f.Code == PolicyFindingCodes.ShadowedRule && f.RuleIndex == 2);
        Assert.StartsWith($"rules[2]: unreachable: rules[{by + 1}] ", finding.Message);
    }

    [Theory]
    [InlineData("- level: None\n    verbs: [get]", "- level: Metadata")]
    [InlineData("- level: None\n    users: [a]", "- level: Metadata\n    users: [a, b]")]
    [InlineData("- level: None\n    users: [a]", "- level: Metadata\n    userGroups: [g]")]
    [InlineData("- level: None\n    resources: [{group: \"\", resources: [pods]}]", "- level: Metadata\n    resources: [{group: \"\", resources: [pods/log]}]")]
    [InlineData("- level: None\n    resources: [{group: \"\", resources: [pods], resourceNames: [a]}]", "- level: Metadata\n    resources: [{group: \"\", resources: [pods]}]")]
    [InlineData("- level: None\n    resources: [{group: \"\"}]", "- level: Metadata\n    resources: [{group: apps}]")]
    [InlineData("- level: None\n    namespaces: [a]", "- level: Metadata\n    resources: [{group: \"\"}]")]
    [InlineData("- level: None\n    nonResourceURLs: [\"/healthz\"]", "- level: Metadata\n    nonResourceURLs: [\"/healthz*\"]")]
    [InlineData("- level: None\n    resources: [{group: \"\"}]", "- level: Metadata\n    nonResourceURLs: [\"/x\"]")]
    public void ReachableRule_IsNotReported(string earlier, string later)
    {
        Assert.DoesNotContain(Lint(Coverage + $"  {earlier}\n  {later}\n  - level: Metadata\n"), f => f.Code == PolicyFindingCodes.ShadowedRule && f.RuleIndex == 2);
    }

    [Fact]
    public void CatchAllFirst_ShadowsEverythingAfterIt()
    {
        var findings = Lint("  - level: Metadata\n" + Coverage + "  - level: None\n    verbs: [watch]\n");

        Assert.Equal([1, 2], Codes(findings, PolicyFindingCodes.ShadowedRule).Select(f => f.RuleIndex!.Value));
    }

    [Fact]
    public void NoCatchAll_IsReported_WithARequestNothingMatches()
    {
        var findings = Lint(Coverage + "  - level: Metadata\n    verbs: [create, update, patch, delete]\n");

        var finding = Assert.Single(findings, f => f.Code == PolicyFindingCodes.NoCatchAll);
        Assert.Null(finding.RuleIndex);
        Assert.Contains("matches no rule", finding.Message);
        Assert.True(finding.Line > 0);
    }

    [Theory]
    [InlineData("  - level: Metadata\n")]
    [InlineData("  - level: None\n")]
    [InlineData("  - level: Metadata\n    resources: [{group: \"*\"}]\n  - level: Metadata\n    nonResourceURLs: [\"*\"]\n")]
    public void CatchAll_IsNotReported(string last)
    {
        Assert.DoesNotContain(Lint(Coverage + last), f => f.Code == PolicyFindingCodes.NoCatchAll);
    }

    [Theory]
    [InlineData("apps/v1", "Write group: \"apps\".")]
    [InlineData("v1", null)]
    [InlineData("v1beta1", null)]
    [InlineData("core", null)]
    public void GroupVersion_IsReported(string group, string? hint)
    {
        var finding = Assert.Single(Lint(Coverage + $"  - level: None\n    resources: [{{group: \"{group}\"}}]\n  - level: Metadata\n"), f => f.Code == PolicyFindingCodes.GroupVersion);

        Assert.Equal("rules[1].resources[0].group", finding.Path);
        if (hint is not null)
        {
            Assert.Equal(hint, finding.Hint);
        }
    }

    [Theory]
    [InlineData("apps")]
    [InlineData("")]
    [InlineData("v1.example.com")]
    public void RealGroup_IsNotReportedAsVersion(string group)
    {
        Assert.DoesNotContain(Lint(Coverage + $"  - level: None\n    resources: [{{group: \"{group}\"}}]\n  - level: Metadata\n"), f => f.Code == PolicyFindingCodes.GroupVersion);
    }

    [Fact]
    public void HighVolumeReads_AboveMetadata_AreReported()
    {
        var findings = Lint(Coverage + """
              - level: Metadata
                resources:
                - group: ""
                  resources: ["secrets", "configmaps"]
                - group: authentication.k8s.io
                  resources: ["tokenreviews"]
              - level: RequestResponse
            """);

        var labels = Codes(findings, PolicyFindingCodes.HighVolume).Select(f => f.Message).ToList();
        Assert.Equal(6, labels.Count);
        Assert.Contains(labels, m => m.Contains("of leases") && m.Contains("response bodies"));
        Assert.Contains(labels, m => m.Contains("of events,") || m.Contains("of events:"));
        Assert.Contains(labels, m => m.Contains("of endpointslices"));
        Assert.Contains(labels, m => m.Contains("health checks"));
        Assert.All(Codes(findings, PolicyFindingCodes.HighVolume), f => Assert.Equal(2, f.RuleIndex));
    }

    [Fact]
    public void HighVolumeReads_DroppedOrAtMetadata_AreNotReported()
    {
        var findings = Lint(Coverage + """
              - level: None
                verbs: [get, list, watch]
                resources:
                - group: coordination.k8s.io
                  resources: [leases]
                - group: ""
                  resources: [events, endpoints]
                - group: events.k8s.io
                  resources: [events]
                - group: discovery.k8s.io
                  resources: [endpointslices]
              - level: None
                nonResourceURLs: ["/healthz*", "/livez*", "/readyz*"]
              - level: Request
                verbs: [create, update, patch, delete]
              - level: Metadata
            """);

        Assert.DoesNotContain(findings, f => f.Code == PolicyFindingCodes.HighVolume);
    }

    [Fact]
    public void HighVolumeReads_AtRequest_AreReported()
    {
        var findings = Lint(Coverage + "  - level: Request\n    resources: [{group: coordination.k8s.io}]\n  - level: Metadata\n");

        var finding = Assert.Single(findings, f => f.Code == PolicyFindingCodes.HighVolume);
        Assert.Contains("of leases", finding.Message);
    }

    [Theory]
    [InlineData(Header, false)]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n", true)]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [Panic]\nrules:\n", true)]
    public void RequestReceived_NotOmitted_IsReported(string header, bool flagged)
    {
        var findings = Lint(Coverage + "  - level: Metadata\n", header);

        Assert.Equal(flagged, findings.Any(f => f.Code == PolicyFindingCodes.RequestReceivedNotOmitted));
    }

    [Fact]
    public void RequestReceived_OmittedByEveryLoggingRule_IsNotReported()
    {
        var findings = Lint(
            "  - level: None\n    nonResourceURLs: [\"/healthz*\"]\n  - level: Metadata\n    omitStages: [RequestReceived]\n",
            "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n");

        Assert.DoesNotContain(findings, f => f.Code == PolicyFindingCodes.RequestReceivedNotOmitted);
    }

    [Fact]
    public void MissingCoverage_NoRuleMatches_IsReportedPerClass()
    {
        var findings = Lint("  - level: Metadata\n    resources: [{group: apps}]\n");

        Assert.Equal(3, Codes(findings, PolicyFindingCodes.PodAccessNotLogged).Count);
        Assert.Single(Codes(findings, PolicyFindingCodes.RbacChangesNotLogged));
        Assert.Single(Codes(findings, PolicyFindingCodes.TokenRequestsNotLogged));
        Assert.All(findings.Where(f => f.Code is "KA2008" or "KA2009" or "KA2010"), f =>
        {
            Assert.Null(f.RuleIndex);
            Assert.Contains("no rule matches it", f.Message);
        });
    }

    [Fact]
    public void MissingCoverage_DroppedByANoneRule_NamesTheRule()
    {
        var findings = Lint("""
              - level: None
                resources:
                - group: ""
                  resources: ["pods/exec"]
              - level: Metadata
            """);

        var finding = Assert.Single(findings, f => f.Code is "KA2008" or "KA2009" or "KA2010");
        Assert.Equal(PolicyFindingCodes.PodAccessNotLogged, finding.Code);
        Assert.Equal(0, finding.RuleIndex);
        Assert.Contains("pods/exec", finding.Message);
        Assert.Contains("rules[0] has level None", finding.Message);
    }

    [Fact]
    public void MissingCoverage_InOneNamespaceOnly_IsReported()
    {
        var findings = Lint("""
              - level: Metadata
                namespaces: [default]
                resources:
                - group: ""
                  resources: ["pods/exec", "pods/attach", "pods/portforward", "serviceaccounts/token"]
              - level: Metadata
                resources:
                - group: rbac.authorization.k8s.io
            """);

        Assert.Equal(3, Codes(findings, PolicyFindingCodes.PodAccessNotLogged).Count);
        Assert.Single(Codes(findings, PolicyFindingCodes.TokenRequestsNotLogged));
        Assert.Empty(Codes(findings, PolicyFindingCodes.RbacChangesNotLogged));
    }

    [Fact]
    public void RbacChanges_DroppedForClusterRolesOnly_AreReported()
    {
        var findings = Lint(Coverage.Replace("- level: Metadata", "- level: Metadata\n    namespaces: [default, kube-system, kubeaudit-probe]", StringComparison.Ordinal) + """
              - level: None
                verbs: [delete]
                resources: [{group: rbac.authorization.k8s.io, resources: [clusterrolebindings]}]
              - level: Metadata
            """);

        var finding = Assert.Single(Codes(findings, PolicyFindingCodes.RbacChangesNotLogged));
        Assert.Contains("clusterrolebindings", finding.Message);
    }

    [Fact]
    public void EveryWarning_HasACodePathMessageAndHint()
    {
        var findings = PolicyLinter.Lint(AuditPolicyReader.ReadFile(TestPaths.CorpusFile("policies", "NONSTANDARD-openshift-clo-kubeAPIAudit-filter-example_policy.yaml")).Policy!);

        Assert.NotEmpty(findings);
        Assert.All(findings, f =>
        {
            Assert.Equal("Warning", f.Severity);
            Assert.StartsWith("KA2", f.Code);
            Assert.False(string.IsNullOrEmpty(f.Hint));
            Assert.False(string.IsNullOrEmpty(f.Path));
            Assert.StartsWith(f.Path!, f.Message);
            Assert.False(f.RejectedByApiServer);
        });
    }
}
