using KubeAudit.Core.Policy;
using static KubeAudit.Core.Tests.Policy.PolicyBuilder;

namespace KubeAudit.Core.Tests.Policy;

/// <summary>validation_test.go (audit spec §3) and the loader checks of reader.go (§4).</summary>
public class PolicyValidatorTests
{
    private const string Dns1123Message =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string AllowedStages = "allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic";

    // The five valid rules of validation_test.go.
    private static AuditPolicyRule[] ValidRules() =>
    [
        new() { Level = "Metadata" },
        new() { Level = "None", UserGroups = ["system:serviceaccounts", "system:nodes"] },
        new() { Level = "RequestResponse", Verbs = ["get"], Resources = [Group("rbac.authorization.k8s.io", ["roles", "rolebindings"])], Namespaces = ["kube-system"] },
        new() { Level = "Metadata", UserGroups = ["developers"], NonResourceURLs = ["/logs*", "/healthz*", "/metrics", "*"] },
        new() { Level = "Metadata", OmitStages = ["RequestReceived"] },
    ];

    public static TheoryData<int> ValidRuleIndexes() => [0, 1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(ValidRuleIndexes))]
    public void ValidRule_HasNoErrors(int index)
    {
        Assert.Empty(PolicyValidator.ValidatePolicy(Build(ValidRules()[index])));
    }

    [Fact]
    public void EmptyPolicy_PassesValidatePolicy_ButTheLoaderRefusesIt()
    {
        var empty = new AuditPolicy();

        Assert.Empty(PolicyValidator.ValidatePolicy(empty));
        var codes = PolicyValidator.Validate(empty).Select(f => f.Code).ToList();
        Assert.Contains(PolicyFindingCodes.NoRules, codes);
        Assert.Contains(PolicyFindingCodes.ApiVersion, codes);
    }

    [Fact]
    public void OmitStagesWithoutRules_PassesValidatePolicy_ButNotTheZeroRulesCheck()
    {
        var policy = Build([], ["RequestReceived"]);

        Assert.Empty(PolicyValidator.ValidatePolicy(policy));
        var finding = Assert.Single(PolicyValidator.Validate(policy));
        Assert.Equal(PolicyFindingCodes.NoRules, finding.Code);
        Assert.EndsWith("loaded illegal policy with 0 rules", finding.Message);
        Assert.True(finding.RejectedByApiServer);
    }

    [Fact]
    public void AllValidRulesTogether_HaveNoErrors()
    {
        Assert.Empty(PolicyValidator.Validate(Build(ValidRules())));
    }

    public static TheoryData<string, string, string, string> InvalidCases() => new()
    {
        { "1 missing level", PolicyFindingCodes.LevelRequired, "rules[0].level", "rules[0].level: Required value" },
        { "2 missing level with fields", PolicyFindingCodes.LevelRequired, "rules[0].level", "rules[0].level: Required value" },
        { "3 FooBar", PolicyFindingCodes.LevelUnsupported, "rules[0].level", "rules[0].level: Unsupported value: \"FooBar\": supported values: \"None\", \"Metadata\", \"Request\", \"RequestResponse\"" },
        { "4 urls+namespaces", PolicyFindingCodes.MixedResourceAndNonResource, "rules[0].nonResourceURLs", "rules[0].nonResourceURLs: Invalid value: [\"/logs*\"]: rules cannot apply to both regular resources and non-resource URLs" },
        { "5 urls+resources", PolicyFindingCodes.MixedResourceAndNonResource, "rules[0].nonResourceURLs", "rules[0].nonResourceURLs: Invalid value: [\"/logs*\"]: rules cannot apply to both regular resources and non-resource URLs" },
        { "6 group/version", PolicyFindingCodes.GroupInvalid, "rules[0].resources.group", "rules[0].resources.group: Invalid value: \"rbac.authorization.k8s.io/v1beta1\": " + Dns1123Message },
        { "7 no slash", PolicyFindingCodes.NonResourceUrlSlash, "rules[0].nonResourceURLs[0]", "rules[0].nonResourceURLs[0]: Invalid value: \"logs\": non-resource URL rules must begin with a '/' character" },
        { "8 empty url", PolicyFindingCodes.NonResourceUrlSlash, "rules[0].nonResourceURLs[0]", "rules[0].nonResourceURLs[0]: Invalid value: \"\": non-resource URL rules must begin with a '/' character" },
        { "9 two stars", PolicyFindingCodes.NonResourceUrlWildcard, "rules[0].nonResourceURLs[0]", "rules[0].nonResourceURLs[0]: Invalid value: \"/logs/*/*\": non-resource URL wildcards '*' must be the final character of the rule" },
        { "10 star inside", PolicyFindingCodes.NonResourceUrlWildcard, "rules[0].nonResourceURLs[0]", "rules[0].nonResourceURLs[0]: Invalid value: \"/logs/*.log\": non-resource URL wildcards '*' must be the final character of the rule" },
        { "11 names without resources", PolicyFindingCodes.ResourceNamesWithoutResources, "rules[0].resources.resourceNames", "rules[0].resources.resourceNames: Invalid value: [\"leader\"]: using resourceNames requires at least one resource" },
        { "12 rule omitStages", PolicyFindingCodes.OmitStageInvalid, "rules[0].omitStages[0]", "rules[0].omitStages[0]: Invalid value: \"foo\": " + AllowedStages },
        { "13 valid rules plus {}", PolicyFindingCodes.LevelRequired, "rules[5].level", "rules[5].level: Required value" },
        { "14 policy omitStages", PolicyFindingCodes.OmitStageInvalid, "omitStages[0]", "omitStages[0]: Invalid value: \"foo\": " + AllowedStages },
    };

    private static AuditPolicy InvalidPolicy(string id) => id.Split(' ')[0] switch
    {
        "1" => Build(new AuditPolicyRule()),
        "2" => Build(new AuditPolicyRule { Verbs = ["get"], Resources = [Group("", ["secrets"])], Namespaces = ["kube-system"] }),
        "3" => Build(new AuditPolicyRule { Level = "FooBar" }),
        "4" => Build(new AuditPolicyRule { Level = "Metadata", NonResourceURLs = ["/logs*"], Namespaces = ["default"] }),
        "5" => Build(new AuditPolicyRule { Level = "Metadata", NonResourceURLs = ["/logs*"], Resources = [Group("", ["secrets"])] }),
        "6" => Build(new AuditPolicyRule { Level = "Metadata", Resources = [Group("rbac.authorization.k8s.io/v1beta1", ["roles"])] }),
        "7" => Build(new AuditPolicyRule { Level = "Metadata", NonResourceURLs = ["logs", "/healthz*"] }),
        "8" => Build(new AuditPolicyRule { Level = "Metadata", NonResourceURLs = ["", "/healthz*"] }),
        "9" => Build(new AuditPolicyRule { Level = "Metadata", NonResourceURLs = ["/logs/*/*", "/metrics"] }),
        "10" => Build(new AuditPolicyRule { Level = "Metadata", NonResourceURLs = ["/logs/*.log", "/metrics"] }),
        "11" => Build(new AuditPolicyRule { Level = "Metadata", Resources = [Group("", null, ["leader"])] }),
        "12" => Build(new AuditPolicyRule { Level = "Metadata", OmitStages = ["foo"] }),
        "13" => Build([.. ValidRules(), new AuditPolicyRule()]),
        "14" => Build([new AuditPolicyRule { Level = "Metadata" }], ["foo"]),
        _ => throw new ArgumentException(id),
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void InvalidPolicy_GivesTheApiServersPathAndMessage(string id, string code, string path, string message)
    {
        var policy = InvalidPolicy(id);

        var finding = Assert.Single(PolicyValidator.ValidatePolicy(policy));

        Assert.Equal(code, finding.Code);
        Assert.Equal(path, finding.Path);
        Assert.Equal(message, finding.Message);
        Assert.Equal("Error", finding.Severity);
        Assert.True(finding.RejectedByApiServer);
        Assert.False(string.IsNullOrEmpty(finding.Hint));
        Assert.Equal("test-policy.yaml", finding.File);
        if (path.StartsWith("rules[", StringComparison.Ordinal))
        {
            var rule = policy.Rules[finding.RuleIndex!.Value];
            Assert.Equal((rule.Line, rule.Column), (finding.Line, finding.Column));
            Assert.StartsWith($"rules[{rule.Index}]", path);
        }
        else
        {
            Assert.Null(finding.RuleIndex);
        }
    }

    [Fact]
    public void DoubleStar_GivesBothUrlErrors()
    {
        var findings = PolicyValidator.ValidatePolicy(Build(new AuditPolicyRule { Level = "Metadata", NonResourceURLs = ["**"] }));

        Assert.Equal([PolicyFindingCodes.NonResourceUrlSlash, PolicyFindingCodes.NonResourceUrlWildcard], findings.Select(f => f.Code));
    }

    [Fact]
    public void Findings_FollowTheApiServersOrder()
    {
        var policy = Build(
            [new AuditPolicyRule
            {
                Level = "loud",
                NonResourceURLs = ["x"],
                Namespaces = ["a"],
                Resources = [Group("Apps", null, ["n"])],
                OmitStages = ["Never"],
            }],
            ["bad"]);

        var paths = PolicyValidator.ValidatePolicy(policy).Select(f => f.Path);

        Assert.Equal(
            ["omitStages[0]", "rules[0].level", "rules[0].nonResourceURLs[0]", "rules[0].resources.group", "rules[0].resources.resourceNames", "rules[0].omitStages[0]", "rules[0].nonResourceURLs"],
            paths);
    }

    [Theory]
    [InlineData("metadata")]
    [InlineData("METADATA")]
    [InlineData("requestresponse")]
    public void Level_IsCaseSensitive(string level)
    {
        var finding = Assert.Single(PolicyValidator.ValidatePolicy(Build(new AuditPolicyRule { Level = level })));

        Assert.Equal(PolicyFindingCodes.LevelUnsupported, finding.Code);
        Assert.Contains("case-sensitive", finding.Hint);
    }

    [Theory]
    [InlineData("requestReceived")]
    [InlineData("panic")]
    [InlineData("")]
    public void OmitStage_IsCaseSensitive(string stage)
    {
        Assert.Equal(PolicyFindingCodes.OmitStageInvalid, Assert.Single(PolicyValidator.ValidatePolicy(Build(new AuditPolicyRule { Level = "None", OmitStages = [stage] }))).Code);
    }

    [Theory]
    [InlineData(36, true)]
    [InlineData(37, true)]
    [InlineData(null, true)]
    [InlineData(35, false)]
    [InlineData(24, false)]
    public void WildcardGroup_NeedsKubernetes136(int? minor, bool valid)
    {
        var policy = Build(new AuditPolicyRule { Level = "Metadata", Resources = [Group("*", ["*/status"])] });

        var findings = PolicyValidator.Validate(policy, minor);

        if (valid)
        {
            Assert.Empty(findings);
        }
        else
        {
            var finding = Assert.Single(findings);
            Assert.Equal("rules[0].resources.group: Invalid value: \"*\": " + Dns1123Message, finding.Message);
            Assert.Contains("1.36", finding.Hint);
        }
    }

    [Fact]
    public void LongGroup_GivesBothMessagesJoinedByComma()
    {
        var group = new string('a', 250) + ".B.c";

        var finding = Assert.Single(PolicyValidator.ValidatePolicy(Build(new AuditPolicyRule { Level = "Metadata", Resources = [Group(group, ["x"])] })));

        Assert.Equal($"rules[0].resources.group: Invalid value: \"{group}\": must be no more than 253 characters," + Dns1123Message, finding.Message);
    }

    [Theory]
    [InlineData("apps")]
    [InlineData("rbac.authorization.k8s.io")]
    [InlineData("")]
    [InlineData("a-b.example.com")]
    public void GoodGroups_AreAccepted(string group)
    {
        Assert.Empty(PolicyValidator.ValidatePolicy(Build(new AuditPolicyRule { Level = "Metadata", Resources = [Group(group)] })));
    }

    [Theory]
    [InlineData("apps/v1", "Write the group without its version: \"apps\".")]
    [InlineData("Apps", "API group names are lower case: \"apps\".")]
    [InlineData("-apps", null)]
    [InlineData("apps.", null)]
    public void BadGroups_AreRejected(string group, string? hint)
    {
        var finding = Assert.Single(PolicyValidator.ValidatePolicy(Build(new AuditPolicyRule { Level = "Metadata", Resources = [Group(group)] })));

        Assert.Equal(PolicyFindingCodes.GroupInvalid, finding.Code);
        if (hint is not null)
        {
            Assert.Equal(hint, finding.Hint);
        }
    }

    [Fact]
    public void NotValidated_UsersVerbsNamespacesResourceContents()
    {
        var policy = Build(new AuditPolicyRule
        {
            Level = "None",
            Users = ["*", ""],
            UserGroups = ["*"],
            Verbs = ["*", "frobnicate"],
            Namespaces = ["*", ""],
            Resources = [Group("", ["*", "", "pods/*"], ["*"]), Group("", ["pods"])],
        });

        Assert.Empty(PolicyValidator.ValidatePolicy(policy));
    }

    [Theory]
    [InlineData(null, "apiVersion: Required value: the API server fails with \"unknown group version field audit.k8s.io/__internal, Kind=Policy in policy\"")]
    [InlineData("audit.k8s.io/v1beta1", "apiVersion: Unsupported value: \"audit.k8s.io/v1beta1\": supported values: \"audit.k8s.io/v1\" (audit.k8s.io/v1beta1 was removed in Kubernetes 1.24; the API server fails to decode the policy)")]
    [InlineData("audit.k8s.io/v1alpha1", "apiVersion: Unsupported value: \"audit.k8s.io/v1alpha1\": supported values: \"audit.k8s.io/v1\" (audit.k8s.io/v1alpha1 was removed in Kubernetes 1.24; the API server fails to decode the policy)")]
    [InlineData("audit.k8s.io/v2", "apiVersion: Unsupported value: \"audit.k8s.io/v2\": supported values: \"audit.k8s.io/v1\" (the API server fails to decode the policy)")]
    [InlineData("v1", "apiVersion: Unsupported value: \"v1\": supported values: \"audit.k8s.io/v1\" (the API server fails to decode the policy)")]
    public void ApiVersion_OnlyV1(string? apiVersion, string message)
    {
        var policy = Build(new AuditPolicyRule { Level = "Metadata" });
        policy.ApiVersion = apiVersion;

        var finding = Assert.Single(PolicyValidator.Validate(policy));

        Assert.Equal((PolicyFindingCodes.ApiVersion, "apiVersion", message), (finding.Code, finding.Path, finding.Message));
        Assert.True(finding.RejectedByApiServer);
    }

    [Fact]
    public void ApiVersion_V1beta1_IsOnlyDeprecatedBefore124()
    {
        var policy = Build(new AuditPolicyRule { Level = "Metadata" });
        policy.ApiVersion = "audit.k8s.io/v1beta1";

        var finding = Assert.Single(PolicyValidator.Validate(policy, targetMinor: 23));

        Assert.Equal((PolicyFindingCodes.DeprecatedApiVersion, "Warning", false), (finding.Code, finding.Severity, finding.RejectedByApiServer));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("Policy", true)]
    [InlineData("PolicyList", false)]
    [InlineData("policy", false)]
    public void Kind_PolicyOrAbsent(string? kind, bool valid)
    {
        var policy = Build(new AuditPolicyRule { Level = "Metadata" });
        policy.Kind = kind;

        var findings = PolicyValidator.Validate(policy);

        if (valid)
        {
            Assert.Empty(findings);
        }
        else
        {
            Assert.Equal($"kind: Unsupported value: \"{kind}\": supported values: \"Policy\"", Assert.Single(findings).Message);
        }
    }

    [Fact]
    public void ApiServerError_AggregatesLikeTheApiServer()
    {
        var policy = Build(
            new AuditPolicyRule { Level = "Metadata", Resources = [Group("apps/v1"), Group("apps/v1")] },
            new AuditPolicyRule());

        var findings = PolicyValidator.ValidatePolicy(policy);

        Assert.Equal(3, findings.Count);
        Assert.Equal(
            "[rules[0].resources.group: Invalid value: \"apps/v1\": " + Dns1123Message + ", rules[1].level: Required value]",
            PolicyValidator.ApiServerError(findings));
        Assert.Equal("rules[1].level: Required value", PolicyValidator.ApiServerError(findings.Skip(2)));
        Assert.Null(PolicyValidator.ApiServerError([]));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("tab\there\n", "\"tab\\there\\n\"")]
    [InlineData("\u0001", "\"\\x01\"")]
    [InlineData("é", "\"é\"")]
    [InlineData("a\u00a0b", "\"a\\u00a0b\"")]
    public void Values_AreGoQuoted(string value, string quoted)
    {
        var finding = Assert.Single(PolicyValidator.ValidatePolicy(Build(new AuditPolicyRule { Level = value })));

        Assert.Contains($"Unsupported value: {quoted}:", finding.Message);
    }

    [Fact]
    public void ListValues_AreGoJson()
    {
        var finding = Assert.Single(PolicyValidator.ValidatePolicy(Build(new AuditPolicyRule { Level = "None", Resources = [Group("", null, ["a<b", "q\""])] })));

        Assert.Contains("Invalid value: [\"a\\u003cb\",\"q\\\"\"]:", finding.Message);
    }
}
