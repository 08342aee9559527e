using KubeAudit.Core.Compliance;

namespace KubeAudit.Core.Tests.Compliance;

/// <summary>Every corpus manifest is non-compliant in a way the checks name; none makes evaluation throw.</summary>
public sealed class ComplianceCorpusTests
{
    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestPaths.CorpusFile("manifests")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void CorpusManifest_FailsNamedChecks(string name)
    {
        var checks = ComplianceEvaluator.Evaluate(new ComplianceOptions { ManifestPath = TestPaths.CorpusFile("manifests", name) });
        Assert.Equal(CheckNames.All.Count, checks.Count);
        Assert.All(checks, c => Assert.False(string.IsNullOrWhiteSpace(c.Evidence), c.Name));

        // None has a policy file here, so 3.2.1 fails naming why, and the content checks skip saying so.
        var policy = checks.Single(c => c.Name == CheckNames.AuditPolicyFile);
        Assert.Equal("Failed", policy.Result);
        Assert.Matches("is not set|does not exist|no volumeMount serves", policy.Evidence);
        Assert.All(checks.Where(c => c.Id == "3.2.2"), c => Assert.Equal("Skipped", c.Result));
        Assert.All(checks.Where(c => c.Id == "3.2.2"), c => Assert.StartsWith("No policy to judge", c.Evidence, StringComparison.Ordinal));
        Assert.Contains(checks, c => c.Id.StartsWith("1.2.", StringComparison.Ordinal) && c.Result == "Failed");
    }

    [Fact]
    public void Kops_FailsRetentionBelowCis_AndPassesTheRest()
    {
        var checks = ComplianceEvaluator.Evaluate(new ComplianceOptions { ManifestPath = TestPaths.CorpusFile("manifests", "kops-nodeup-golden-audit-kube-apiserver.manifest.yaml") })
            .ToDictionary(c => c.Name);
        Assert.Equal("Passed", checks[CheckNames.AuditLogPath].Result);
        Assert.Equal("Failed", checks[CheckNames.AuditLogMaxAge].Result);
        Assert.Contains("--audit-log-maxage=10 (line 22)", checks[CheckNames.AuditLogMaxAge].Evidence, StringComparison.Ordinal);
        Assert.Equal("Failed", checks[CheckNames.AuditLogMaxBackup].Result);
        Assert.Equal("Passed", checks[CheckNames.AuditLogMaxSize].Result);
    }
}
