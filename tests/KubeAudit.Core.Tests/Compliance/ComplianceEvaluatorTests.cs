using KubeAudit.Core.Compliance;

namespace KubeAudit.Core.Tests.Compliance;

public sealed class ComplianceEvaluatorTests
{
    private static ComplianceCheck Check(IEnumerable<ComplianceCheck> checks, string name) => checks.Single(c => c.Name == name);

    private static void AssertResult(IEnumerable<ComplianceCheck> checks, string name, string result, string? evidence = null)
    {
        var check = Check(checks, name);
        Assert.True(check.Result == result, $"{name}: expected {result}, got {check.Result}: {check.Evidence}");
        if (evidence is not null)
        {
            Assert.Contains(evidence, check.Evidence, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CompliantNode_PassesEveryCheck_WithEvidence()
    {
        using var node = new ComplianceNode();
        var checks = ComplianceEvaluator.Evaluate(node.Options());

        Assert.Equal(CheckNames.All, checks.Select(c => c.Name));
        Assert.All(checks, c => Assert.True(c.Result == "Passed", $"{c.Id} {c.Name}: {c.Evidence}"));
        AssertResult(checks, CheckNames.AuditLogMaxAge, "Passed", "--audit-log-maxage=30 (line ");
        AssertResult(checks, CheckNames.AuditPolicyFile, "Passed", "is valid");
        AssertResult(checks, CheckNames.PolicyCredentialsAtMetadata, "Passed", "are logged at Metadata, by rules[4]");
    }

    [Fact]
    public void CompliantNode_WithoutLogPath_SkipsWrittenRecently()
    {
        using var node = new ComplianceNode();
        var checks = ComplianceEvaluator.Evaluate(node.Options(withLog: false));
        AssertResult(checks, CheckNames.LogRecentlyWritten, "Skipped", "Optional");
    }

    [Theory]
    [InlineData("CIS-1.9")]
    [InlineData("CIS-1.10")]
    [InlineData("CIS-1.11")]
    [InlineData("CIS-1.12")]
    public void Ids_FollowTheBenchmark(string benchmark)
    {
        using var node = new ComplianceNode();
        var checks = ComplianceEvaluator.Evaluate(new ComplianceOptions { ManifestPath = node.Manifest, PolicyPath = node.Policy, Benchmark = benchmark });
        var ids = checks.ToDictionary(c => c.Name, c => c.Id);
        Assert.Equal("1.2.16", ids[CheckNames.AuditLogPath]);
        Assert.Equal("1.2.17", ids[CheckNames.AuditLogMaxAge]);
        Assert.Equal("1.2.18", ids[CheckNames.AuditLogMaxBackup]);
        Assert.Equal("1.2.19", ids[CheckNames.AuditLogMaxSize]);
        Assert.Equal("3.2.1", ids[CheckNames.AuditPolicyFile]);
        Assert.Equal("3.2.2", ids[CheckNames.PolicyHasCatchAll]);
        Assert.Equal("KA-LOG-1", ids[CheckNames.LogFilePermissions]);
        Assert.All(checks, c => Assert.Equal(benchmark, c.Benchmark));
        Assert.Contains("CIS", Check(checks, CheckNames.AuditLogPath).Tags);
        Assert.DoesNotContain("CIS", Check(checks, CheckNames.LogFilePermissions).Tags);
    }

    [Fact]
    public void UnknownBenchmark_Throws() =>
        Assert.Throws<ArgumentException>(() => ComplianceEvaluator.Evaluate(new ComplianceOptions { Benchmark = "CIS-0.1" }));

    [Fact]
    public void MissingManifest_FailsOrSkipsEveryCheck_WithTheReason()
    {
        var checks = ComplianceEvaluator.Evaluate(new ComplianceOptions { ManifestPath = "/nonexistent/kube-apiserver.yaml" });
        Assert.Equal(CheckNames.All.Count, checks.Count);
        AssertResult(checks, CheckNames.AuditLogPath, "Failed", "the file does not exist");
        AssertResult(checks, CheckNames.AuditPolicyFile, "Failed", "the file does not exist");
        AssertResult(checks, CheckNames.PolicyHasCatchAll, "Skipped", "No policy to judge");
        AssertResult(checks, CheckNames.LogFilePermissions, "Skipped", "the file does not exist");
    }

    [Fact]
    public void ManifestIsAFolder_FailsWithTheReason()
    {
        var checks = ComplianceEvaluator.Evaluate(new ComplianceOptions { ManifestPath = Path.GetTempPath() });
        AssertResult(checks, CheckNames.AuditLogMaxAge, "Failed", "it is a folder");
    }

    [Fact]
    public void LowRetention_FailsNamingTheFlagAndLine_AndThresholdsOverride()
    {
        using var node = new ComplianceNode();
        File.WriteAllText(node.Manifest, File.ReadAllText(node.Manifest).Replace("--audit-log-maxage=30", "--audit-log-maxage=7", StringComparison.Ordinal));

        var strict = ComplianceEvaluator.Evaluate(node.Options());
        AssertResult(strict, CheckNames.AuditLogMaxAge, "Failed", "--audit-log-maxage=7 (line ");
        Assert.Contains("below the minimum of 30 days", Check(strict, CheckNames.AuditLogMaxAge).Evidence, StringComparison.Ordinal);

        var relaxed = ComplianceEvaluator.Evaluate(new ComplianceOptions { ManifestPath = node.Manifest, PolicyPath = node.Policy, MinimumMaxAge = 7 });
        AssertResult(relaxed, CheckNames.AuditLogMaxAge, "Passed", "at least 7 days");
        Assert.Contains("at least 7 days", Check(relaxed, CheckNames.AuditLogMaxAge).Title, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalRotation_SkipsTheRetentionFlags_AsAnException()
    {
        using var node = new ComplianceNode(enable: false);
        var checks = ComplianceEvaluator.Evaluate(new ComplianceOptions { ManifestPath = node.Manifest, PolicyPath = node.Policy, ExternalRotation = true });
        foreach (var name in new[] { CheckNames.AuditLogMaxAge, CheckNames.AuditLogMaxBackup, CheckNames.AuditLogMaxSize })
        {
            AssertResult(checks, name, "Skipped", "Exception declared");
        }

        AssertResult(checks, CheckNames.AuditLogPath, "Failed", "--audit-log-path is not set");
    }

    [Fact]
    public void GuideExamplePolicy_FailsEveryContentCheck_NamingRequestsAndRules()
    {
        using var node = new ComplianceNode();
        var options = new ComplianceOptions { ManifestPath = node.Manifest, PolicyPath = TestPaths.CorpusFile("policies", "guide-example-policy.yaml") };
        var checks = ComplianceEvaluator.Evaluate(options);

        AssertResult(checks, CheckNames.AuditPolicyFile, "Passed", "is valid");
        AssertResult(checks, CheckNames.PolicyCredentialsAtMetadata, "Failed", "get/create/delete secrets in default give RequestResponse (rules[1], line 13)");
        AssertResult(checks, CheckNames.PolicyPodAccessLogged, "Failed", "pods/attach in default");
        Assert.DoesNotContain("pods/exec", Check(checks, CheckNames.PolicyPodAccessLogged).Evidence, StringComparison.Ordinal);
        AssertResult(checks, CheckNames.PolicyRbacChangesLogged, "Failed", "clusterrolebindings.rbac.authorization.k8s.io give None (no rule matches)");
        AssertResult(checks, CheckNames.PolicyWorkloadChangesLogged, "Failed", "deployments.apps in default");
        AssertResult(checks, CheckNames.PolicyHasCatchAll, "Failed", "No rule matches create widgets.example.com in default");
    }

    [Fact]
    public void InvalidPolicy_FailsThePolicyFileCheck_AndSkipsContent()
    {
        using var node = new ComplianceNode();
        File.WriteAllText(node.Policy, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Everything\n");
        var checks = ComplianceEvaluator.Evaluate(node.Options());
        AssertResult(checks, CheckNames.AuditPolicyFile, "Failed", "is not valid: line 4");
        AssertResult(checks, CheckNames.PolicyCredentialsAtMetadata, "Skipped", "would not load");
    }

    [Fact]
    public void PolicyFromTheManifest_IsANodePath_NamedInTheEvidence()
    {
        using var node = new ComplianceNode();
        var checks = ComplianceEvaluator.Evaluate(new ComplianceOptions { ManifestPath = node.Manifest, LogPath = node.LogFolder });
        if (!File.Exists("/etc/kubernetes/audit-policy.yaml"))
        {
            AssertResult(checks, CheckNames.AuditPolicyFile, "Failed", "/etc/kubernetes/audit-policy.yaml (the node path --audit-policy-file names) does not exist");
            AssertResult(checks, CheckNames.PolicyHasCatchAll, "Skipped", "does not exist");
        }
    }

    [Fact]
    public void OpenLogPermissions_FailWithTheModeAndFix()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var node = new ComplianceNode();
        File.SetUnixFileMode(node.LogFolder, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(node.LogFile, (UnixFileMode)0b110_100_100);
        var checks = ComplianceEvaluator.Evaluate(node.Options());
        AssertResult(checks, CheckNames.LogFilePermissions, "Failed", "is mode 0755 (fix: chmod 0700");
        Assert.Contains("audit.log is mode 0644", Check(checks, CheckNames.LogFilePermissions).Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void StaleOrMissingLog_Fails()
    {
        using var node = new ComplianceNode();
        var later = new ComplianceOptions { ManifestPath = node.Manifest, PolicyPath = node.Policy, LogPath = node.LogFolder, Now = DateTimeOffset.UtcNow.AddHours(3) };
        AssertResult(ComplianceEvaluator.Evaluate(later), CheckNames.LogRecentlyWritten, "Failed", "was last written 3 hours ago");

        var missing = new ComplianceOptions { ManifestPath = node.Manifest, PolicyPath = node.Policy, LogPath = Path.Combine(node.LogFolder, "nope") };
        var checks = ComplianceEvaluator.Evaluate(missing);
        AssertResult(checks, CheckNames.LogRecentlyWritten, "Failed", "No audit log file");
        AssertResult(checks, CheckNames.LogFilePermissions, "Failed", "does not exist");
    }
}
