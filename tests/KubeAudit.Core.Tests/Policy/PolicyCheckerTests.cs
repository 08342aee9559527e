using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

/// <summary>The loader cases of reader_test.go (audit spec §4), the YAML 1.1 hazards, and the facade.</summary>
public class PolicyCheckerTests
{
    // reader_test.go policyDefPattern, with the apiVersion line in front.
    private const string PolicyDef = """
        kind: Policy
        rules:
          - level: None
            nonResourceURLs:
              - /healthz*
              - /version
          - level: RequestResponse
            users: ["tim"]
            userGroups: ["testers", "developers"]
            verbs: ["patch", "delete", "create"]
            resources:
              - group: ""
              - group: "rbac.authorization.k8s.io"
                resources: ["clusterroles", "clusterrolebindings"]
            namespaces: ["default", "kube-system"]
          - level: Metadata
        """;

    private static List<PolicyFinding> Errors(PolicyCheckResult r) => r.Findings.Where(f => f.Severity == "Error").ToList();

    [Fact]
    public void PolicyDefPattern_V1_LoadsAsThreeRules()
    {
        var result = PolicyChecker.CheckText("apiVersion: audit.k8s.io/v1\n" + PolicyDef, "p.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Findings));
        Assert.True(result.AcceptedByApiServer);
        var rules = result.Policy!.Rules;
        Assert.Equal(3, rules.Length);
        Assert.Equal(["/healthz*", "/version"], rules[0].NonResourceURLs);
        Assert.Equal(["tim"], rules[1].Users);
        Assert.Equal(["testers", "developers"], rules[1].UserGroups);
        Assert.Equal(["patch", "delete", "create"], rules[1].Verbs);
        Assert.Equal(["", "rbac.authorization.k8s.io"], rules[1].Resources.Select(g => g.Group));
        Assert.Equal(["default", "kube-system"], rules[1].Namespaces);
        Assert.Equal("Metadata", rules[2].Level);
    }

    [Theory]
    [InlineData("audit.k8s.io/v1beta1")]
    [InlineData("audit.k8s.io/v1alpha1")]
    public void RemovedVersions_AreRejected(string apiVersion)
    {
        var result = PolicyChecker.CheckText($"apiVersion: {apiVersion}\n" + PolicyDef, "p.yaml");

        var error = Assert.Single(Errors(result));
        Assert.Equal(PolicyFindingCodes.ApiVersion, error.Code);
        Assert.Contains("removed in Kubernetes 1.24", error.Message);
        Assert.Equal(1, error.Line);
        Assert.False(result.IsValid);
        Assert.False(result.AcceptedByApiServer);
    }

    [Fact]
    public void RemovedVersions_LoadOnOlderClusters()
    {
        var result = PolicyChecker.CheckText("apiVersion: audit.k8s.io/v1beta1\n" + PolicyDef, "p.yaml", targetMinor: 23);

        Assert.True(result.IsValid);
        Assert.Contains(result.Findings, f => f.Code == PolicyFindingCodes.DeprecatedApiVersion);
    }

    [Fact]
    public void NoApiVersionOrKind_IsTheUnknownGroupVersionError()
    {
        var result = PolicyChecker.CheckText(PolicyDef.Replace("kind: Policy\n", string.Empty, StringComparison.Ordinal), "p.yaml");

        var error = Assert.Single(Errors(result));
        Assert.Equal(PolicyFindingCodes.ApiVersion, error.Code);
        Assert.Contains("unknown group version field audit.k8s.io/__internal, Kind=Policy in policy", error.Message);
        Assert.True(error.Line > 0);
    }

    [Fact]
    public void ApiVersionWithoutKind_Loads()
    {
        var result = PolicyChecker.CheckText("apiVersion: audit.k8s.io/v1\nrules:\n- level: Metadata\n", "p.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Findings));
        Assert.Null(result.Policy!.Kind);
    }

    [Fact]
    public void OtherKind_IsNotAPolicy()
    {
        var result = PolicyChecker.CheckText("apiVersion: audit.k8s.io/v1\nkind: PolicyList\nitems: []\n", "p.yaml");

        Assert.Equal(PolicyFindingCodes.NotAPolicy, Assert.Single(Errors(result)).Code);
        Assert.Null(result.Policy);
        Assert.False(result.AcceptedByApiServer);
    }

    [Fact]
    public void ZeroRules_IsTheIllegalPolicyError()
    {
        var result = PolicyChecker.CheckText("apiVersion: audit.k8s.io/v1\nkind: Policy", "p.yaml");

        var error = Assert.Single(Errors(result));
        Assert.Equal("rules: loaded illegal policy with 0 rules", error.Message);
        Assert.Equal(PolicyFindingCodes.NoRules, error.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n")]
    public void EmptyFile_IsAnError_NotTheZeroRulesOne(string text)
    {
        var result = PolicyChecker.CheckText(text, "p.yaml");

        var error = Assert.Single(Errors(result));
        Assert.Equal(PolicyFindingCodes.NotAPolicy, error.Code);
        Assert.Contains("unknown group version field", error.Message);
        Assert.DoesNotContain("0 rules", error.Message);
    }

    [Fact]
    public void UnknownField_IsAcceptedByTheApiServer_ButAnError()
    {
        var result = PolicyChecker.Check(TestPaths.CorpusFile("policies", "EDGE-k8s-reader_test-unknown-field-misindented-verbs.yaml"));

        var error = Assert.Single(Errors(result));
        Assert.Equal(PolicyFindingCodes.UnknownField, error.Code);
        Assert.Equal("rules[0].resources[0].verbs", error.Path);
        Assert.StartsWith("rules[0].resources[0].verbs: unknown field", error.Message);
        Assert.Contains("strict decoding error: unknown field \\\"rules[0].resources[0].verbs\\\"", error.Message);
        Assert.Equal(0, error.RuleIndex);
        Assert.Equal(10, error.Line);
        Assert.Contains("indent", error.Hint);
        Assert.False(error.RejectedByApiServer);
        Assert.False(result.IsValid);
        Assert.True(result.AcceptedByApiServer);

        // What the API server then does: the rule matches every verb on leases.
        var resolver = new LevelResolver(result.Policy!);
        foreach (var verb in new[] { "watch", "get", "update", "delete" })
        {
            var request = new AuditRequest { User = "u", Verb = verb, IsResourceRequest = true, ApiGroup = "coordination.k8s.io", Resource = "leases", Namespace = "kube-node-lease" };
            Assert.Equal(0, resolver.Resolve(request).RuleIndex);
        }
    }

    [Fact]
    public void UnknownField_Typo_SuggestsTheField()
    {
        var result = PolicyChecker.Check(TestPaths.CorpusFile("policies", "openshift-library-go-writerequestbodies.yaml"));

        var error = Assert.Single(Errors(result));
        Assert.Equal("rules[2].resources[4].resource", error.Path);
        Assert.Equal("Did you mean 'resources'? Field names are case-sensitive.", error.Hint);
    }

    [Fact]
    public void JsonFieldNames_AreCaseSensitive()
    {
        var result = PolicyChecker.CheckText("""{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"Level":"Metadata"}]}""", "p.json");

        var codes = Errors(result).Select(f => f.Code).ToList();
        Assert.Contains(PolicyFindingCodes.UnknownField, codes);
        Assert.Contains(PolicyFindingCodes.LevelRequired, codes);
        Assert.Contains(result.Findings, f => f.Path == "rules[0].Level" && f.Hint == "Did you mean 'level'? Field names are case-sensitive.");
        Assert.False(result.AcceptedByApiServer);
    }

    [Fact]
    public void WrongType_IsRejected()
    {
        var result = PolicyChecker.CheckText("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: [a]\n", "p.yaml");

        var error = Assert.Single(Errors(result), f => f.Code == PolicyFindingCodes.WrongType);
        Assert.Equal("rules[0].level: must be a string; the API server fails to decode the policy", error.Message);
        Assert.Equal(0, error.RuleIndex);
        Assert.True(error.RejectedByApiServer);
    }

    [Fact]
    public void InvalidYaml_IsRejectedWithItsPosition()
    {
        var result = PolicyChecker.CheckText("rules: [\n  - level: Metadata\n", "p.yaml");

        var error = Assert.Single(Errors(result));
        Assert.Equal(PolicyFindingCodes.InvalidYaml, error.Code);
        Assert.True(error.Line > 0);
        Assert.Null(result.Policy);
    }

    [Theory]
    [InlineData("yes", "boolean")]
    [InlineData("no", "boolean")]
    [InlineData("on", "boolean")]
    [InlineData("Off", "boolean")]
    [InlineData("y", "boolean")]
    [InlineData("N", "boolean")]
    [InlineData("TRUE", "boolean")]
    [InlineData("false", "boolean")]
    [InlineData("123", "number")]
    [InlineData("1.20", "number")]
    [InlineData("0x1F", "number")]
    [InlineData("-5", "number")]
    [InlineData("1_000", "number")]
    [InlineData("1e3", "number")]
    [InlineData(".inf", "number")]
    [InlineData("08", "number")]
    public void YamlNonStrings_InStringLists_AreRejected(string value, string type)
    {
        var result = PolicyChecker.CheckText($"apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  namespaces: [default, {value}]\n- level: Metadata\n", "p.yaml");

        var error = Assert.Single(Errors(result));
        Assert.Equal(PolicyFindingCodes.YamlNonString, error.Code);
        Assert.Equal("rules[0].namespaces[1]", error.Path);
        Assert.StartsWith($"rules[0].namespaces[1]: unquoted {value} is a YAML 1.1 {type}", error.Message);
        Assert.Equal($"Quote it: \"{value}\".", error.Hint);
        Assert.Equal((5, 25), (error.Line, error.Column));
        Assert.Equal(0, error.RuleIndex);
        Assert.True(error.RejectedByApiServer);
        Assert.False(result.AcceptedByApiServer);
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("'on'")]
    [InlineData("yesterday")]
    [InlineData("v1.2")]
    [InlineData("2024-01-01")] // a timestamp stays a string in go-yaml v2
    [InlineData("1.2.3")]
    [InlineData("0x")]
    [InlineData("kube-system")]
    public void Strings_AreNotYamlHazards(string value)
    {
        var result = PolicyChecker.CheckText($"apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  namespaces: [default, {value}]\n- level: Metadata\n", "p.yaml");

        Assert.DoesNotContain(result.Findings, f => f.Code == PolicyFindingCodes.YamlNonString);
    }

    [Fact]
    public void YamlNonStrings_AreFoundInEveryStringField()
    {
        const string yaml = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [no]
            rules:
            - level: on
              users: [yes]
              userGroups: [1]
              verbs: [off]
              nonResourceURLs: [2]
              omitStages: [y]
              resources:
              - group: 3
                resources: [true]
                resourceNames: [false]
            - level: None
              namespaces: [n]
              omitManagedFields: "true"
            """;

        var result = PolicyChecker.CheckText(yaml, "p.yaml");

        Assert.Equal(
            ["omitStages[0]", "rules[0].level", "rules[0].users[0]", "rules[0].userGroups[0]", "rules[0].verbs[0]", "rules[0].nonResourceURLs[0]", "rules[0].omitStages[0]",
             "rules[0].resources[0].group", "rules[0].resources[0].resources[0]", "rules[0].resources[0].resourceNames[0]", "rules[1].namespaces[0]", "rules[1].omitManagedFields"],
            result.Findings.Where(f => f.Code == PolicyFindingCodes.YamlNonString).Select(f => f.Path));
    }

    [Fact]
    public void JsonNumbers_InStringLists_AreRejected()
    {
        var result = PolicyChecker.CheckText("""{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"level":"None","users":["a", 7]},{"level":"Metadata"}]}""", "p.json");

        Assert.Equal("rules[0].users[1]", Assert.Single(Errors(result)).Path);
    }

    [Fact]
    public void Findings_AreErrorsFirst_ThenByLine()
    {
        var result = PolicyChecker.Check(TestPaths.CorpusFile("policies", "guide-example-policy.yaml"));

        Assert.True(result.IsValid);
        Assert.All(result.Findings, f => Assert.Equal(result.File, f.File));
        var lines = result.Findings.Select(f => f.Line).ToList();
        Assert.Equal(lines.Order(), lines);
        Assert.All(result.Findings, f => Assert.True(f.Line > 0, f.ToString()));
    }

    [Fact]
    public void MissingFile_IsAReadError()
    {
        var result = PolicyChecker.Check(Path.Combine(Path.GetTempPath(), "kubeaudit-no-such-policy.yaml"));

        Assert.Equal(PolicyFindingCodes.ReadFailed, Assert.Single(result.Findings).Code);
        Assert.False(result.IsValid);
        Assert.Null(result.Policy);
    }

    [Fact]
    public void ExtraDocuments_AreAWarning()
    {
        var result = PolicyChecker.CheckText("apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n---\nfoo: bar\n", "p.yaml");

        Assert.True(result.IsValid);
        Assert.Contains(result.Findings, f => f.Code == PolicyFindingCodes.ExtraDocuments && f.Severity == "Warning");
    }
}
