using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;
using static KubeAudit.Core.Tests.Manifests.ManifestFixtures;

namespace KubeAudit.Core.Tests.Manifests;

public sealed class ManifestEditorTests
{
    [Fact]
    public void SortedKubeadmFlags_NewFlagsGoToTheirSortedPlace()
    {
        var result = ApiServerManifestEditor.Enable(Corpus(Kubeadm), new AuditEnableOptions());
        Assert.True(result.Changed);
        var lines = result.NewText.Split('\n');
        var allow = Array.IndexOf(lines, "    - --allow-privileged=true");
        Assert.Equal("    - --audit-log-maxage=30", lines[allow + 1]);
        Assert.Equal("    - --audit-log-maxbackup=10", lines[allow + 2]);
        Assert.Equal("    - --audit-log-maxsize=100", lines[allow + 3]);
        Assert.Equal("    - --audit-log-path=/var/log/kubernetes/audit/audit.log", lines[allow + 4]);
        Assert.Equal("    - --audit-policy-file=/etc/kubernetes/audit-policy.yaml", lines[allow + 5]);
        Assert.Equal("    - --authorization-mode=Node,RBAC", lines[allow + 6]);
    }

    [Fact]
    public void UnsortedFlags_NewFlagsAreAppended()
    {
        var result = ApiServerManifestEditor.Enable(Corpus(Unsorted), new AuditEnableOptions());
        var read = ApiServerManifestReader.ReadText(result.NewText);
        var command = read.Flags.Select(f => f.Index).ToList();
        Assert.Equal(["audit-log-maxage", "audit-log-maxbackup", "audit-log-maxsize", "audit-log-path", "audit-policy-file"], read.Flags.Select(f => f.Name));
        Assert.Equal(Enumerable.Range(command[0], 5), command);
        Assert.Contains("    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key\n    - --audit-log-maxage=30\n", result.NewText);
    }

    [Fact]
    public void NewItems_FollowNeighboursQuotingAndIndentation()
    {
        var result = ApiServerManifestEditor.Enable(Corpus(SingleQuoted), new AuditEnableOptions());
        Assert.Contains("        - '--audit-log-maxage=30'\n", result.NewText);
        Assert.Contains("""

                - hostPath:
                    path: /etc/kubernetes/audit-policy.yaml
                    type: File
                  name: audit-policy

            """, result.NewText);
        Assert.Contains("""

                    - mountPath: /var/log/kubernetes/audit
                      name: audit-log
                      readOnly: false

            """, result.NewText);
    }

    [Fact]
    public void JsonManifest_GetsJsonItems()
    {
        var result = ApiServerManifestEditor.Enable(Corpus(Json), new AuditEnableOptions { Force = true });
        Assert.True(result.Changed, string.Join("\n", result.Diagnostics));
        Assert.Contains("\"--audit-policy-file=/etc/kubernetes/audit-policy.yaml\"", result.NewText);
        Assert.Contains("\"name\": \"audit-log\"", result.NewText);
        using var _ = System.Text.Json.JsonDocument.Parse(result.NewText); // still JSON
    }

    [Fact]
    public void Conflict_WithoutForce_IsAnErrorNamingFlagAndValues_AndChangesNothing()
    {
        var original = Corpus(Kops);
        var result = ApiServerManifestEditor.Enable(original, new AuditEnableOptions());
        Assert.False(result.Succeeded);
        Assert.False(result.Changed);
        Assert.Equal(original, result.NewText);
        var conflict = Assert.Single(result.Diagnostics, d => d.Message.Contains("--audit-log-maxage", StringComparison.Ordinal));
        Assert.Equal(DiagnosticCodes.AuditFlagConflict, conflict.Code);
        Assert.Contains("'10'", conflict.Message);
        Assert.Contains("'30'", conflict.Message);
        Assert.True(conflict.Line > 0);
    }

    [Fact]
    public void Conflict_WithForce_IsAppliedInPlace()
    {
        var result = ApiServerManifestEditor.Enable(Corpus(Kops), new AuditEnableOptions { Force = true });
        Assert.True(result.Changed);
        var read = ApiServerManifestReader.ReadText(result.NewText);
        Assert.Equal("30", read.LogMaxAge);
        Assert.Equal("args", read.FlagLocation);
        Assert.Contains("set --audit-log-maxage=30 (was 10)", result.Changes);
        // Flags the editor does not manage stay.
        Assert.Contains(read.Flags, f => f.Name == "audit-webhook-batch-max-wait" && f.Value == "5s");
    }

    [Fact]
    public void SameValuesAsExisting_NeedNoForce()
    {
        var options = new AuditEnableOptions
        {
            PolicyPath = "/etc/kubernetes/audit/policy-config.yaml", LogPath = "/var/log/kube-apiserver-audit.log", MaxAge = 10, MaxBackup = 1, MaxSize = 100,
            WebhookConfigPath = "/etc/kubernetes/audit/webhook-config.yaml",
        };
        var result = ApiServerManifestEditor.Enable(Corpus(Kops), options);
        Assert.True(result.Succeeded);
        Assert.False(result.Changed);
        Assert.Equal("already configured", result.NoChangeReason);
    }

    [Fact]
    public void ExistingVolumeForTheSamePath_IsReused_AndNamesDoNotCollide()
    {
        var volumes = """
              - hostPath:
                  path: /etc/kubernetes/audit-policy.yaml
                  type: File
                name: my-policy
              - hostPath:
                  path: /somewhere/else
                name: audit-log

            """;
        var result = ApiServerManifestEditor.Enable(Pod(volumes: volumes), new AuditEnableOptions());
        Assert.True(result.Changed, string.Join("\n", result.Diagnostics));
        var read = ApiServerManifestReader.ReadText(result.NewText);
        Assert.Empty(read.Problems);
        Assert.Contains(read.Mounts, x => x.Name == "my-policy" && x.MountPath == "/etc/kubernetes/audit-policy.yaml" && x.ReadOnly);
        Assert.Contains(read.Volumes, v => v.Name == "audit-log-2" && v.HostPath == "/var/log/kubernetes/audit" && v.Type == "DirectoryOrCreate");
        Assert.Single(read.Volumes, v => v.HostPath == "/etc/kubernetes/audit-policy.yaml");
    }

    [Fact]
    public void LogFolderIsMounted_NeverTheLogFile()
    {
        var result = ApiServerManifestEditor.Enable(Pod(), new AuditEnableOptions { LogPath = "/var/log/k8s/api-audit.log" });
        var read = ApiServerManifestReader.ReadText(result.NewText);
        var log = Assert.Single(read.Mounts, x => x.Name == "audit-log");
        Assert.Equal("/var/log/k8s", log.MountPath);
        Assert.False(log.ReadOnly);
        Assert.Equal("DirectoryOrCreate", Assert.Single(read.Volumes, v => v.Name == "audit-log").Type);
        Assert.Equal("File", Assert.Single(read.Volumes, v => v.Name == "audit-policy").Type);
        Assert.DoesNotContain(read.Mounts, x => x.MountPath == "/var/log/k8s/api-audit.log");
    }

    [Fact]
    public void LogFileMount_IsRefusedWithoutForce_AndReplacedByTheFolderWithIt()
    {
        var text = Pod(LogFileMountFlags, LogFileMount, LogFileVolume);
        var refused = ApiServerManifestEditor.Enable(text, new AuditEnableOptions());
        Assert.Contains(refused.Diagnostics, d => d.Code == DiagnosticCodes.AuditLogFileMounted);
        Assert.Equal(text, refused.NewText);

        var forced = ApiServerManifestEditor.Enable(text, new AuditEnableOptions { Force = true });
        Assert.True(forced.Changed, string.Join("\n", forced.Diagnostics));
        var read = ApiServerManifestReader.ReadText(forced.NewText);
        Assert.Empty(read.Problems);
        Assert.DoesNotContain(read.Volumes, v => v.Name == "audit-log-file");
        Assert.Contains(read.Mounts, x => x.MountPath == "/var/log/kubernetes/audit");
    }

    [Fact]
    public void NotAPod_IsRefused()
    {
        var text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec: {}\n";
        var result = ApiServerManifestEditor.Enable(text, new AuditEnableOptions());
        Assert.Equal(DiagnosticCodes.NotAnApiServerPod, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(text, result.NewText);
    }

    [Fact]
    public void PodOfAnotherComponent_IsRefused()
    {
        var text = Pod().Replace("kube-apiserver", "etcd", StringComparison.Ordinal);
        Assert.Equal(DiagnosticCodes.NotAnApiServerPod, Assert.Single(ApiServerManifestEditor.Enable(text, new AuditEnableOptions()).Diagnostics).Code);
    }

    [Fact]
    public void SeveralApiServerLikeContainers_AreRefused()
    {
        var second = """
              - command:
                - kube-apiserver
                name: other
                image: x

            """;
        var text = Pod(extraContainer: second).Replace("    name: kube-apiserver\n", "    name: first\n", StringComparison.Ordinal);
        var result = ApiServerManifestEditor.Enable(text, new AuditEnableOptions());
        Assert.Equal(DiagnosticCodes.AmbiguousContainer, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void SidecarBesideTheNamedContainer_IsFine()
    {
        var sidecar = """
              - command:
                - /bin/sidecar
                name: sidecar
                image: x

            """;
        var result = ApiServerManifestEditor.Enable(Pod(extraContainer: sidecar), new AuditEnableOptions());
        Assert.True(result.Changed, string.Join("\n", result.Diagnostics));
        Assert.Equal("kube-apiserver", ApiServerManifestReader.ReadText(result.NewText).ContainerName);
    }

    [Fact]
    public void InvalidYaml_IsRefused()
    {
        var text = Pod() + "  bad: [unclosed\n";
        var result = ApiServerManifestEditor.Enable(text, new AuditEnableOptions());
        Assert.Equal(DiagnosticCodes.InvalidYaml, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(text, result.NewText);
    }

    [Fact]
    public void InvalidOptions_AreRefused()
    {
        var result = ApiServerManifestEditor.Enable(Pod(), new AuditEnableOptions { MaxAge = -1, Format = "xml", PolicyPath = "relative.yaml" });
        Assert.Equal(3, result.Diagnostics.Count);
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticCodes.InvalidAuditFlag, d.Code));
    }

    [Fact]
    public void CommentsAndCrlf_ArePreserved_AndRoundTripIsExact()
    {
        var text = Pod().Replace("    - --secure-port=6443\n", "    - --secure-port=6443 # keep me\n    # a comment line\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        var enabled = ApiServerManifestEditor.Enable(text, new AuditEnableOptions());
        Assert.True(enabled.Changed, string.Join("\n", enabled.Diagnostics));
        Assert.Contains("--secure-port=6443 # keep me\r\n    # a comment line\r\n", enabled.NewText);
        Assert.DoesNotContain("\n", enabled.NewText.Replace("\r\n", string.Empty, StringComparison.Ordinal));
        Assert.Equal(text, ApiServerManifestEditor.Disable(enabled.NewText).NewText);
    }

    [Fact]
    public void Disable_OnUnconfiguredManifest_ChangesNothing()
    {
        var result = ApiServerManifestEditor.Disable(Pod());
        Assert.True(result.Succeeded);
        Assert.False(result.Changed);
        Assert.Equal("not configured", result.NoChangeReason);
    }

    [Fact]
    public void Diff_ShowsTheAddedLines()
    {
        var result = ApiServerManifestEditor.Enable(Pod(), new AuditEnableOptions(), "kube-apiserver.yaml");
        var diff = result.Diff;
        Assert.StartsWith("--- a/kube-apiserver.yaml\n+++ b/kube-apiserver.yaml\n@@ -", diff);
        Assert.Contains("\n+    - --audit-log-maxage=30\n", diff);
        Assert.Contains("\n     - --advertise-address=10.0.0.1\n", diff);
        Assert.DoesNotContain("\n-", diff);
    }
}
