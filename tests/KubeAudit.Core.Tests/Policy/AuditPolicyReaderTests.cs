using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

public class AuditPolicyReaderTests
{
    [Fact]
    public void ReadFile_GuideExamplePolicy_ReadsRulesWithTheirLines()
    {
        var result = AuditPolicyReader.ReadFile(TestPaths.CorpusFile("policies", "guide-example-policy.yaml"));

        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var policy = result.Policy!;
        Assert.Equal("audit.k8s.io/v1", policy.ApiVersion);
        Assert.Equal("Policy", policy.Kind);
        Assert.Equal(4, policy.Rules.Length);
        Assert.Equal(["RequestResponse"], policy.Rules.Where(r => r.Resources.Any(g => g.Resources.Contains("secrets"))).Select(r => r.Level));
        Assert.Contains(policy.Rules, r => r.Namespaces.SequenceEqual(["*"]));

        // Each rule's line is where its '- level:' item starts in the file.
        var lines = File.ReadAllLines(TestPaths.CorpusFile("policies", "guide-example-policy.yaml"));
        Assert.All(policy.Rules, r => Assert.Contains("- ", lines[r.Line - 1]));
        Assert.Equal(Enumerable.Range(0, 4), policy.Rules.Select(r => r.Index));
    }

    [Fact]
    public void Read_EveryField_IsMapped()
    {
        const string yaml = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            omitManagedFields: true
            rules:
              - level: RequestResponse
                users: [tim]
                userGroups: [testers, developers]
                verbs: [patch, delete, create]
                resources:
                  - group: ""
                  - group: rbac.authorization.k8s.io
                    resources: [clusterroles, clusterrolebindings]
                    resourceNames: [edit]
                namespaces: [default, kube-system]
                omitStages: [ResponseStarted]
                omitManagedFields: false
              - level: None
                nonResourceURLs: ["/healthz*", /version]
            """;

        var result = AuditPolicyReader.Read(yaml, "p.yaml");

        Assert.Empty(result.Diagnostics);
        var policy = result.Policy!;
        Assert.Equal(["RequestReceived"], policy.OmitStages);
        Assert.True(policy.OmitManagedFields);
        var rule = policy.Rules[0];
        Assert.Equal(("RequestResponse", 6, 5), (rule.Level, rule.Line, rule.Column));
        Assert.Equal(["tim"], rule.Users);
        Assert.Equal(["testers", "developers"], rule.UserGroups);
        Assert.Equal(["patch", "delete", "create"], rule.Verbs);
        Assert.Equal(["", "rbac.authorization.k8s.io"], rule.Resources.Select(g => g.Group));
        Assert.Equal(["clusterroles", "clusterrolebindings"], rule.Resources[1].Resources);
        Assert.Equal(["edit"], rule.Resources[1].ResourceNames);
        Assert.Equal(12, rule.Resources[1].Line);
        Assert.Equal(["default", "kube-system"], rule.Namespaces);
        Assert.Equal(["ResponseStarted"], rule.OmitStages);
        Assert.False(rule.OmitManagedFields);
        Assert.Null(policy.Rules[1].OmitManagedFields);
        Assert.Equal(["/healthz*", "/version"], policy.Rules[1].NonResourceURLs);
    }

    [Fact]
    public void Read_Json_IsAccepted()
    {
        var result = AuditPolicyReader.Read("""{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"level":"Metadata"}]}""", "p.json");

        Assert.Empty(result.Diagnostics);
        Assert.Equal("Metadata", result.Policy!.Rules.Single().Level);
    }

    [Fact]
    public void ReadFile_MisindentedVerbs_IsReportedAsUnknownFieldWithItsLine()
    {
        var file = TestPaths.CorpusFile("policies", "EDGE-k8s-reader_test-unknown-field-misindented-verbs.yaml");

        var result = AuditPolicyReader.ReadFile(file);

        var unknown = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.UnknownField);
        Assert.Contains("rules[", unknown.Message);
        Assert.Contains(".verbs", unknown.Message);
        Assert.Contains("verbs", File.ReadAllLines(file)[unknown.Line - 1]);
        Assert.NotNull(result.Policy);
    }

    [Theory]
    [InlineData("rules: [\n  - level: Metadata\n", DiagnosticCodes.InvalidYaml)]
    [InlineData("", DiagnosticCodes.NotAPolicy)]
    [InlineData("- a\n- b\n", DiagnosticCodes.NotAPolicy)]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n", DiagnosticCodes.NotAPolicy)]
    [InlineData("name: just-a-map\n", DiagnosticCodes.NotAPolicy)]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: Metadata\n", DiagnosticCodes.InvalidPolicyField)]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: [a]\n", DiagnosticCodes.InvalidPolicyField)]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  omitManagedFields: maybe\n", DiagnosticCodes.InvalidPolicyField)]
    public void Read_BadInput_GivesAnErrorWithPosition(string text, string code)
    {
        var result = AuditPolicyReader.Read(text, "bad.yaml");

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(code, error.Code);
        Assert.Equal("bad.yaml", error.File);
        if (text.Length > 0)
        {
            Assert.True(error.Line >= 1, error.ToString());
        }
    }

    [Fact]
    public void ReadFile_EveryCorpusPolicy_ReadsWithoutThrowing()
    {
        foreach (var file in Directory.EnumerateFiles(TestPaths.CorpusFile("policies")))
        {
            var result = AuditPolicyReader.ReadFile(file);
            var name = Path.GetFileName(file);
            if (name.StartsWith("INVALID-k8s-reader_test-empty-file", StringComparison.Ordinal) || name.StartsWith("FRAGMENT-", StringComparison.Ordinal))
            {
                // An empty file and a bare list of rules are not Policy documents at all.
                Assert.Equal(DiagnosticCodes.NotAPolicy, Assert.Single(result.Diagnostics).Code);
                Assert.Null(result.Policy);
            }
            else
            {
                Assert.False(result.HasErrors, name + ": " + string.Join("; ", result.Diagnostics));
                Assert.NotNull(result.Policy);
            }
        }
    }
}
