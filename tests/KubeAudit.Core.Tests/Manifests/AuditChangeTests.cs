using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>The manifest transaction: a plan refuses before anything is written; Apply writes all or nothing; a failed health check restores.</summary>
public sealed class AuditChangeTests : IDisposable
{
    private readonly AuditChangeFixture _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Enable_WritesPolicyManifestAndKubeadm_ThenHasNothingToDo()
    {
        var change = AuditChange.Enable(_node.Request());
        Assert.Null(change.Refusal);
        Assert.False(change.NothingToDo);
        Assert.StartsWith($"Write the recommended policy to /etc/kubernetes/audit-policy.yaml (on disk: {_node.PolicyFile}) (mode 0600); back up {_node.ManifestPath} under {_node.BackupRoot} and change it:", change.Describe(), StringComparison.Ordinal);

        var applied = change.Apply();

        Assert.True(applied.Succeeded);
        Assert.False(applied.RolledBack);
        Assert.Equal([_node.PolicyFile, _node.ManifestPath, _node.KubeadmPath], applied.WrittenFiles);
        Assert.Contains("--audit-policy-file=/etc/kubernetes/audit-policy.yaml", File.ReadAllText(_node.ManifestPath), StringComparison.Ordinal);
        Assert.Contains("name: audit-policy-file", File.ReadAllText(_node.KubeadmPath), StringComparison.Ordinal);
        Assert.Equal(AuditChangeFixture.KubeadmV4, File.ReadAllText(applied.Kubeadm!.BackupPath!));
        Assert.True(File.Exists(applied.ManifestBackup));
        Assert.Equal(Path.Combine(_node.HostRoot, "var/log/kubernetes/audit"), applied.LogFolderMade);
        Assert.Contains(applied.Notes, n => n.Text == $"Changed {_node.ManifestPath}; the original is at {applied.ManifestBackup}.");

        var again = AuditChange.Enable(_node.Request());
        Assert.True(again.NothingToDo);
        Assert.Equal($"{_node.ManifestPath}: auditing is already configured (also in {_node.KubeadmPath}) and the policy at {_node.PolicyFile} is current; nothing was written.", again.NothingToDoMessage);
    }

    public static TheoryData<string> Refusals => ["policy in manifests folder", "log folder is a file", "log path is a folder", "policy is a folder", "other policy", "backup in manifests folder", "broken kubeadm", "not a pod"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Enable_Refused_WritesNothing(string refusal)
    {
        var request = _node.Request();
        AuditChangeStep expected;
        switch (refusal)
        {
            case "policy in manifests folder":
                request = _node.Request(policy: "/etc/kubernetes/manifests/audit-policy.yaml");
                expected = AuditChangeStep.PolicyLocation;
                break;
            case "log folder is a file":
                Write(Path.Combine(_node.HostRoot, "var/log/kubernetes/audit"), "x");
                expected = AuditChangeStep.HostPath;
                break;
            case "log path is a folder":
                Directory.CreateDirectory(Path.Combine(_node.HostRoot, "var/log/kubernetes/audit/audit.log"));
                expected = AuditChangeStep.HostPath;
                break;
            case "policy is a folder":
                Directory.CreateDirectory(_node.PolicyFile);
                expected = AuditChangeStep.HostPath;
                break;
            case "other policy":
                Write(_node.PolicyFile, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n");
                expected = AuditChangeStep.PolicyConflict;
                break;
            case "backup in manifests folder":
                request = _node.Request(backupRoot: Path.GetDirectoryName(_node.ManifestPath));
                expected = AuditChangeStep.Manifest;
                break;
            case "broken kubeadm":
                File.WriteAllText(_node.KubeadmPath, "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n");
                expected = AuditChangeStep.Kubeadm;
                break;
            default:
                File.WriteAllText(_node.ManifestPath, "apiVersion: v1\nkind: ConfigMap\n");
                expected = AuditChangeStep.Manifest;
                break;
        }

        var before = _node.Tree();
        var change = AuditChange.Enable(request);

        Assert.Equal(expected, change.Refusal?.Step);
        Assert.NotEmpty(change.Refusal!.Message);
        Assert.Throws<InvalidOperationException>(() => change.Apply());
        Assert.Equal(before, _node.Tree());
    }

    [Theory]
    [InlineData(1, AuditChangeStep.Policy, false)]
    [InlineData(2, AuditChangeStep.Manifest, true)]
    [InlineData(3, AuditChangeStep.Kubeadm, true)]
    public void Enable_FailedWrite_PutsBackWhatWasWritten(int rename, AuditChangeStep step, bool rolledBack)
    {
        var before = _node.Tree();
        var change = AuditChange.Enable(_node.Request());

        var applied = change.Apply(AuditChangeFixture.FailAtRename(rename));

        Assert.False(applied.Succeeded);
        Assert.Equal(step, applied.Failure!.Step);
        Assert.Equal(rolledBack, applied.RolledBack);
        Assert.Contains(applied.Failure.Diagnostics, d => d.Code == DiagnosticCodes.ManifestWriteFailed && d.Message.Contains($"injected at rename {rename}", StringComparison.Ordinal));
        Assert.Equal(before, _node.Tree());
    }

    [Fact]
    public void Enable_FailedKubeadmWrite_OverAnOlderPolicy_PutsThatPolicyBack()
    {
        Write(_node.PolicyFile, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n");
        var before = _node.Tree();

        var applied = AuditChange.Enable(_node.Request(force: true)).Apply(AuditChangeFixture.FailAtRename(3));

        Assert.Equal(AuditChangeStep.Kubeadm, applied.Failure!.Step);
        Assert.Equal(before, _node.Tree());
    }

    [Fact]
    public void Disable_FailedKubeadmWrite_PutsTheManifestBack()
    {
        AuditChange.Enable(_node.Request()).Apply();
        var before = _node.Tree();
        var change = AuditChange.Disable(_node.ManifestPath, _node.BackupRoot, _node.KubeadmPath);
        Assert.StartsWith($"Back up {_node.ManifestPath} under {_node.BackupRoot} and change it:", change.Describe(), StringComparison.Ordinal);

        var applied = change.Apply(AuditChangeFixture.FailAtRename(2));

        Assert.Equal(AuditChangeStep.Kubeadm, applied.Failure!.Step);
        Assert.True(applied.RolledBack);
        Assert.Equal(before, _node.Tree());
    }

    [Fact]
    public void Disable_RemovesWhatEnableAdded_ThenHasNothingToDo()
    {
        var original = File.ReadAllText(_node.ManifestPath);
        AuditChange.Enable(_node.Request(kubeadm: false)).Apply();

        var applied = AuditChange.Disable(_node.ManifestPath, _node.BackupRoot).Apply();

        Assert.True(applied.Succeeded);
        Assert.Equal(original, File.ReadAllText(_node.ManifestPath));
        Assert.EndsWith("The policy file and the logs were left in place.", applied.Notes[^1].Text, StringComparison.Ordinal);
        var again = AuditChange.Disable(_node.ManifestPath, _node.BackupRoot);
        Assert.True(again.NothingToDo);
        Assert.Equal($"{_node.ManifestPath}: auditing is not configured; nothing was written.", again.NothingToDoMessage);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void RestoreAfterUnhealthy_ReportsEachOutcome(bool manifestRestorable, bool kubeadm)
    {
        var original = File.ReadAllText(_node.ManifestPath);
        var applied = AuditChange.Enable(_node.Request(kubeadm: kubeadm)).Apply();
        var backup = applied.ManifestBackup!;
        string? why = null;
        if (!manifestRestorable)
        {
            File.Delete(backup);
            why = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes(backup)).Message;
        }

        var uri = new Uri("https://127.0.0.1:6443/livez");
        var health = new HealthWaitResult(false, "HTTP 503 Service Unavailable", TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow);

        var outcome = AuditChange.RestoreAfterUnhealthy(applied, uri, TimeSpan.FromSeconds(5), health, _node.PodLogs);

        var expected = $"kube-apiserver did not answer 200 at {uri} within 00:00:05 after {_node.ManifestPath} was changed; last: HTTP 503 Service Unavailable.";
        expected += manifestRestorable
            ? $" The original manifest was restored from {backup}."
            : $" The original manifest could NOT be restored (Cannot read the backup {backup}: {why}); copy {backup} over it by hand.";
        if (kubeadm)
        {
            expected += $" The kubeadm configuration was restored from {applied.Kubeadm!.BackupPath}.";
        }

        expected += Environment.NewLine + $"No kube-apiserver container log was found under {_node.PodLogs}.";
        Assert.Equal(expected, outcome.Message);
        Assert.Equal(manifestRestorable, outcome.ManifestRestored);
        Assert.Equal(kubeadm ? true : null, outcome.KubeadmRestored);
        Assert.Equal(manifestRestorable, original == File.ReadAllText(_node.ManifestPath));
        Assert.Equal(manifestRestorable, !File.Exists(_node.PolicyFile));
        if (kubeadm)
        {
            Assert.Equal(AuditChangeFixture.KubeadmV4, File.ReadAllText(_node.KubeadmPath));
        }
    }

    [Fact]
    public void RestoreAfterUnhealthy_QuotesTheApiServersErrors()
    {
        var applied = AuditChange.Enable(_node.Request(kubeadm: false)).Apply();
        var log = Path.Combine(_node.PodLogs, "kube-system_kube-apiserver-node1_0123", "kube-apiserver", "0.log");
        var started = DateTimeOffset.UtcNow;
        var line = started.AddSeconds(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)
            + " stderr F E1125 10:00:00.000000       1 run.go:72] \"command failed\" err=\"loading audit policy file: open /etc/kubernetes/audit-policy.yaml: no such file or directory\"";
        Write(log, line + "\n");

        var outcome = AuditChange.RestoreAfterUnhealthy(applied, new Uri("http://127.0.0.1:6443/livez"), TimeSpan.FromSeconds(1), new HealthWaitResult(false, HealthWaiter.NoAnswer, TimeSpan.FromSeconds(1), started), _node.PodLogs);

        Assert.Contains($"Errors in the kube-apiserver log {log}:", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("loading audit policy file", outcome.Message, StringComparison.Ordinal);
    }

    private static void Write(string file, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }
}
