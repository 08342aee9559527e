using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

public class PolicyObjectCheckerTests
{
    [Fact]
    public void PolicyWithoutFile_IsValidatedAndLinted()
    {
        var policy = PolicyBuilder.Build(
            new AuditPolicyRule { Level = "metadata" },
            new AuditPolicyRule { Level = "Metadata", Namespaces = ["*"] });
        policy.File = null;

        var result = PolicyObjectChecker.Check(policy);

        Assert.Same(policy, result.Policy);
        Assert.Contains(result.Findings, f => f.Code == PolicyFindingCodes.LevelUnsupported && f.RuleIndex == 0);
        Assert.Contains(result.Findings, f => f.Code == PolicyFindingCodes.LiteralWildcard && f.RuleIndex == 1);
        Assert.False(result.AcceptedByApiServer);
        Assert.Equal(result.Findings.OrderBy(f => f.Severity == "Error" ? 0 : 1).Select(f => f.Code), result.Findings.Select(f => f.Code));
    }

    [Fact]
    public void TargetMinor_ReachesTheValidator()
    {
        var policy = PolicyBuilder.Build(new AuditPolicyRule { Level = "Metadata", Resources = [PolicyBuilder.Group("*")] });
        policy.File = null;

        Assert.DoesNotContain(PolicyObjectChecker.Check(policy).Findings, f => f.Code == PolicyFindingCodes.GroupInvalid);
        Assert.Contains(PolicyObjectChecker.Check(policy, 35).Findings, f => f.Code == PolicyFindingCodes.GroupInvalid);
    }

    [Fact]
    public void PolicyFromAFile_ChecksTheFile_WhichShowsWhatTheReaderDropped()
    {
        var file = TestPaths.CorpusFile("policies", "EDGE-k8s-reader_test-unknown-field-misindented-verbs.yaml");
        var policy = AuditPolicyReader.ReadFile(file).Policy!;

        var result = PolicyObjectChecker.Check(policy);

        Assert.Equal(file, result.File);
        Assert.Contains(result.Findings, f => f.Code == PolicyFindingCodes.UnknownField);
        Assert.Equal(PolicyChecker.Check(file).Findings.Select(f => f.Code), result.Findings.Select(f => f.Code));
    }
}
