using KubeAudit.Core.Detections.Yaml;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;
using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

/// <summary>
/// An unterminated flow collection followed by a block line makes YamlDotNet throw a bare
/// InvalidOperationException; every reader turns any parser failure into InvalidYaml with file, line and column.
/// </summary>
public class YamlParserFailureTests
{
    private const string Unterminated = "rules:\n- {verbs: [get\n- level: None\n";

    [Fact]
    public void PolicyReader_UnterminatedFlowCollection_IsInvalidYamlWithPosition()
    {
        var result = AuditPolicyReader.Read("apiVersion: audit.k8s.io/v1\nkind: Policy\n" + Unterminated, "p.yaml");

        Assert.Null(result.Policy);
        AssertInvalidYaml(Assert.Single(result.Diagnostics), "p.yaml");
    }

    [Fact]
    public void PolicyChecker_UnterminatedFlowCollection_IsAFindingNotAnException()
    {
        var text = "apiVersion: audit.k8s.io/v1\nkind: Policy\n" + Unterminated;

        var findings = PolicyChecker.CheckText(text, "p.yaml").Findings;

        Assert.Contains(findings, f => f.Code == PolicyFindingCodes.InvalidYaml && f.Line >= 3);
    }

    [Fact]
    public void ManifestReader_UnterminatedFlowCollection_IsAProblemWithPosition()
    {
        var config = ApiServerManifestReader.ReadText("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - {name: [x\n  - name: y\n", "m.yaml");

        var problem = Assert.Single(config.Problems);
        Assert.Equal(DiagnosticCodes.InvalidYaml, problem.Code);
        Assert.Equal("m.yaml", problem.File);
        Assert.True(problem.Line > 0);
    }

    [Fact]
    public void RuleFileReader_UnterminatedFlowCollection_IsInvalidYamlWithPosition()
    {
        var file = ThreatRuleFileReader.Read(Unterminated, "r.yaml");

        Assert.Empty(file.Rules);
        AssertInvalidYaml(Assert.Single(file.Diagnostics), "r.yaml");
    }

    [Theory]
    [InlineData(Unterminated)]
    [InlineData("kind: Role\nrules:\n  - {name: [x\n  - name: y\n")]
    [InlineData("rules: [{verbs: [get\nkind: Role\n")]
    public void RbacReader_UnterminatedFlowCollection_IsInvalidYamlWithPosition_KeepingWhatCameBefore(string bad)
    {
        var text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a}\n---\n" + bad;
        var result = new KubeAudit.Core.Rbac.RbacReadResult();

        KubeAudit.Core.Rbac.RbacDocumentReader.Read(text, "r.yaml", result);

        Assert.Single(result.Roles);
        AssertInvalidYaml(Assert.Single(result.Diagnostics), "r.yaml");
    }

    private static void AssertInvalidYaml(Diagnostic d, string file)
    {
        Assert.Equal(DiagnosticCodes.InvalidYaml, d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(file, d.File);
        Assert.True(d.Line >= 3, "line " + d.Line);
        Assert.True(d.Column > 0);
    }
}
