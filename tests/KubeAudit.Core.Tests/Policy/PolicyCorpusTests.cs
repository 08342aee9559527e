using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

/// <summary>
/// Every corpus policy gets the verdict its file name implies (PROVENANCE.md, "policies"):
/// INVALID-, LEGACY- and FRAGMENT- are refused by kube-apiserver 1.24+; EDGE- loads but not as
/// written; NONSTANDARD- is the OpenShift log-forwarder filter format, not a kube-apiserver policy
/// (no apiVersion, extra top-level key), so the API server refuses it; the rest are valid, except
/// where the file itself says otherwise (listed in <see cref="s_exceptions"/>).
/// </summary>
public class PolicyCorpusTests
{
    // Unprefixed files that are not valid for today's API server, and why.
    private static readonly Dictionary<string, (bool Valid, bool Accepted, string Code)> s_exceptions = new()
    {
        // audit.k8s.io/v1beta1, removed in 1.24 (valid up to 1.23, see RemovedVersionsInCorpus_LoadOnOlderClusters).
        ["audit2rbac-demo-policy-39b7d9c-v1beta1.yaml"] = (false, false, PolicyFindingCodes.ApiVersion),
        ["falco-examples-k8s_audit_config-audit-policy.yaml"] = (false, false, PolicyFindingCodes.ApiVersion),

        // A real upstream typo, `resource:` for `resources:`: loaded, but the entry matches every
        // resource in machineconfiguration.openshift.io.
        ["openshift-library-go-allrequestbodies.yaml"] = (false, true, PolicyFindingCodes.UnknownField),
        ["openshift-library-go-oauth.yaml"] = (false, true, PolicyFindingCodes.UnknownField),
        ["openshift-library-go-writerequestbodies.yaml"] = (false, true, PolicyFindingCodes.UnknownField),
    };

    public static TheoryData<string> CorpusPolicies()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestPaths.CorpusFile("policies")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusPolicies))]
    public void CorpusPolicy_GetsTheVerdictItsNameImplies(string name)
    {
        var result = PolicyChecker.Check(TestPaths.CorpusFile("policies", name));
        var why = name + ":\n" + string.Join("\n", result.Findings);

        if (name.StartsWith("INVALID-", StringComparison.Ordinal)
            || name.StartsWith("LEGACY-", StringComparison.Ordinal)
            || name.StartsWith("FRAGMENT-", StringComparison.Ordinal)
            || name.StartsWith("NONSTANDARD-", StringComparison.Ordinal))
        {
            Assert.False(result.IsValid, why);
            Assert.False(result.AcceptedByApiServer, why);
        }
        else if (name.StartsWith("EDGE-", StringComparison.Ordinal))
        {
            // Loads, but not as written.
            Assert.True(result.AcceptedByApiServer, why);
            Assert.Contains(result.Findings, f => f.Severity is "Error" or "Warning" && !f.RejectedByApiServer);
        }
        else if (s_exceptions.TryGetValue(name, out var expected))
        {
            Assert.Equal((expected.Valid, expected.Accepted), (result.IsValid, result.AcceptedByApiServer));
            Assert.Contains(result.Findings, f => f.Code == expected.Code && f.Severity == "Error");
        }
        else
        {
            Assert.True(result.IsValid, why);
            Assert.True(result.AcceptedByApiServer, why);
        }

        Assert.All(result.Findings, f =>
        {
            Assert.Matches(@"^(KA1\d{3}|KA2\d{3})$", f.Code);
            Assert.Equal(f.Code.StartsWith("KA1", StringComparison.Ordinal) ? "Error" : "Warning", f.Severity);
        });
    }

    [Theory]
    [InlineData("INVALID-k8s-reader_test-empty-file.yaml", PolicyFindingCodes.NotAPolicy)]
    [InlineData("INVALID-k8s-reader_test-no-apiVersion-or-kind.yaml", PolicyFindingCodes.ApiVersion)]
    [InlineData("INVALID-k8s-reader_test-zero-rules.yaml", PolicyFindingCodes.NoRules)]
    [InlineData("LEGACY-k8s-reader_test-v1alpha1.yaml", PolicyFindingCodes.ApiVersion)]
    [InlineData("LEGACY-k8s-reader_test-v1beta1.yaml", PolicyFindingCodes.ApiVersion)]
    [InlineData("LEGACY-noheader-gke-gce-configure-helper-audit-policy-2017.yaml", PolicyFindingCodes.GroupInvalid)]
    [InlineData("LEGACY-noheader-k8s-website-docs-2017-example-policy.yaml", PolicyFindingCodes.ApiVersion)]
    [InlineData("LEGACY-noheader-k8s-website-docs-2017-minimal-policy.yaml", PolicyFindingCodes.ApiVersion)]
    [InlineData("FRAGMENT-openshift-library-go-default-rules-only.yaml", PolicyFindingCodes.NotAPolicy)]
    [InlineData("NONSTANDARD-openshift-clo-kubeAPIAudit-filter-example_policy.yaml", PolicyFindingCodes.ApiVersion)]
    [InlineData("NONSTANDARD-openshift-clo-kubeAPIAudit-filter-example_policy.yaml", PolicyFindingCodes.UnknownField)]
    [InlineData("EDGE-k8s-reader_test-unknown-field-misindented-verbs.yaml", PolicyFindingCodes.UnknownField)]
    public void RefusedCorpusPolicies_SayWhy(string name, string code)
    {
        var result = PolicyChecker.Check(TestPaths.CorpusFile("policies", name));

        Assert.Contains(result.Findings, f => f.Code == code && f.Severity == "Error");
    }

    [Theory]
    [InlineData("audit2rbac-demo-policy-39b7d9c-v1beta1.yaml")]
    [InlineData("falco-examples-k8s_audit_config-audit-policy.yaml")]
    [InlineData("LEGACY-k8s-reader_test-v1beta1.yaml")]
    [InlineData("LEGACY-k8s-reader_test-v1alpha1.yaml")]
    public void RemovedVersionsInCorpus_LoadOnOlderClusters(string name)
    {
        var result = PolicyChecker.Check(TestPaths.CorpusFile("policies", name), targetMinor: 23);

        Assert.True(result.IsValid, string.Join("\n", result.Findings));
        Assert.Contains(result.Findings, f => f.Code == PolicyFindingCodes.DeprecatedApiVersion);
    }

    [Fact]
    public void GuideExample_HasTheSecretsAndNamespaceStarFindings()
    {
        var result = PolicyChecker.Check(TestPaths.CorpusFile("policies", "guide-example-policy.yaml"));

        Assert.True(result.IsValid);
        Assert.Contains(result.Findings, f => f.Code == PolicyFindingCodes.CredentialBodies && f.RuleIndex == 1 && f.Message.Contains("secrets"));
        Assert.Contains(result.Findings, f => f.Code == PolicyFindingCodes.LiteralWildcard && f.Path == "rules[3].namespaces[0]");
    }

    [Fact]
    public void Corpus_EveryPolicyThatLoads_CanBeEvaluated()
    {
        foreach (var file in Directory.EnumerateFiles(TestPaths.CorpusFile("policies")))
        {
            if (AuditPolicyReader.ReadFile(file).Policy is not { } policy)
            {
                continue;
            }

            var decision = new LevelResolver(policy).Resolve(new AuditRequest { User = "alice", Groups = ["system:authenticated"], Verb = "get", IsResourceRequest = true, Resource = "pods", Namespace = "default", Name = "p" });
            Assert.Contains(decision.Level, new[] { "None", "Metadata", "Request", "RequestResponse" });
        }
    }
}
