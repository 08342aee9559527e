using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;
using static KubeAudit.Core.Tests.Manifests.ManifestFixtures;

namespace KubeAudit.Core.Tests.Manifests;

public sealed class ManifestReaderTests
{
    private static IEnumerable<string> Codes(ApiServerAuditConfig c) => c.Problems.Select(p => p.Code);

    [Fact]
    public void Kops_FlagsInArgs_AreReadWithTheirMounts()
    {
        var config = ApiServerManifestReader.ReadText(Corpus(Kops));
        Assert.Equal("args", config.FlagLocation);
        Assert.Equal("/etc/kubernetes/audit/policy-config.yaml", config.PolicyFile);
        Assert.Equal("10", config.LogMaxAge);
        Assert.True(config.IsEnabled);
        var policy = Assert.Single(config.PathMounts, p => p.Flag == "audit-policy-file");
        Assert.Equal("auditconfigdir", policy.Mount!.Name);
        Assert.Equal("/etc/kubernetes/audit/policy-config.yaml", policy.HostPath);
        Assert.Empty(config.Problems);
    }

    [Fact]
    public void FlagWithoutMount_IsAProblem()
    {
        var config = ApiServerManifestReader.ReadText(Corpus(Json));
        var problem = Assert.Single(config.Problems, p => p.Code == DiagnosticCodes.AuditFlagNotMounted);
        Assert.Equal("audit-policy-file", problem.Flag);
        Assert.True(problem.Line > 0);
        Assert.Contains(config.PathMounts, p => !p.IsMounted);
    }

    [Fact]
    public void LogPathWithoutPolicy_IsAProblem()
    {
        var config = ApiServerManifestReader.ReadText(Corpus("kubescape-regolibrary-minikube-v1.24.1-audit-log-path.yaml"));
        Assert.Contains(DiagnosticCodes.AuditPolicyNotSet, Codes(config));
        Assert.Contains(DiagnosticCodes.AuditFlagNotMounted, Codes(config));
        Assert.False(config.IsEnabled);
    }

    [Fact]
    public void LogFileMount_IsAProblemWithItsFix()
    {
        var config = ApiServerManifestReader.ReadText(Pod(LogFileMountFlags, LogFileMount, LogFileVolume));
        var problem = Assert.Single(config.Problems);
        Assert.Equal(DiagnosticCodes.AuditLogFileMounted, problem.Code);
        Assert.Contains("/var/log/kubernetes/audit", problem.Hint);
        Assert.Contains("DirectoryOrCreate", problem.Hint);
    }

    [Theory]
    [InlineData("audit-log-format=xml", "invalid audit log format xml")]
    [InlineData("audit-log-mode=foo", "invalid audit log mode foo")]
    [InlineData("audit-log-maxage=-1", "--audit-log-maxage -1 can't be a negative number")]
    [InlineData("audit-log-maxsize=ten", "invalid argument \"ten\"")]
    [InlineData("audit-log-version=audit.k8s.io/v1beta1", "invalid group version")]
    [InlineData("audit-log-truncate-max-event-size=-1", "max event size -1")]
    public void InvalidValues_AreProblems(string flag, string message)
    {
        var config = ApiServerManifestReader.ReadText(Enabled($"    - --{flag}\n"));
        var problem = Assert.Single(config.Problems, p => p.Severity == "Error");
        Assert.Equal(DiagnosticCodes.InvalidAuditFlag, problem.Code);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void UnknownAuditFlag_AndDuplicates_AreProblems()
    {
        var config = ApiServerManifestReader.ReadText(Enabled("    - --audit-dynamic-configuration\n    - --secure-port=443\n"));
        Assert.Contains(DiagnosticCodes.UnknownAuditFlag, Codes(config));
        var duplicate = Assert.Single(config.Problems, p => p.Code == DiagnosticCodes.DuplicateFlag);
        Assert.Equal("Warning", duplicate.Severity);
        Assert.Contains("443", duplicate.Message);
    }

    [Fact]
    public void PolicyOnHost_MissingOrInvalid_IsAProblem()
    {
        var root = Directory.CreateTempSubdirectory("kubeaudit-host-").FullName;
        try
        {
            var text = Enabled(string.Empty);
            Assert.Contains(DiagnosticCodes.AuditPolicyMissing, Codes(ApiServerManifestReader.ReadText(text, checkHostFiles: true, hostRoot: root)));

            Directory.CreateDirectory(Path.Combine(root, "etc/kubernetes"));
            File.WriteAllText(Path.Combine(root, "etc/kubernetes/audit-policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n");
            Assert.Contains(DiagnosticCodes.InvalidAuditPolicy, Codes(ApiServerManifestReader.ReadText(text, checkHostFiles: true, hostRoot: root)));

            File.WriteAllText(Path.Combine(root, "etc/kubernetes/audit-policy.yaml"), ValidPolicy);
            Assert.Empty(ApiServerManifestReader.ReadText(text, checkHostFiles: true, hostRoot: root).Problems);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void NotAPod_IsReportedAsAProblem()
    {
        var config = ApiServerManifestReader.ReadText("kind: ConfigMap\napiVersion: v1\n");
        Assert.Equal(DiagnosticCodes.NotAnApiServerPod, Assert.Single(config.Problems).Code);
    }

    // A Pod enabled by the editor, plus extra flag lines.
    private static string Enabled(string extraFlags)
    {
        var text = ApiServerManifestEditor.Enable(Pod(), new AuditEnableOptions()).NewText;
        return text.Replace("    - --secure-port=6443\n", extraFlags + "    - --secure-port=6443\n", StringComparison.Ordinal);
    }
}
