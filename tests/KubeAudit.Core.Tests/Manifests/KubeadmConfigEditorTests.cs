using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>The kubeadm ClusterConfiguration mirror of the manifest edit: v1beta3 map, v1beta4 list, byte-exact text edits.</summary>
public sealed class KubeadmConfigEditorTests : IDisposable
{
    private const string V4 = """
        # kubeadm config for the lab cluster
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: 10.0.0.10
          bindPort: 6443
        ---
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.31.2 # pinned
        clusterName: lab
        apiServer:
          certSANs:
          - lab.example.com
          extraArgs:
          - name: authorization-mode
            value: Node,RBAC
          - name: authorization-mode
            value: Node,RBAC
        networking:
          podSubnet: 10.244.0.0/16
        ---
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        cgroupDriver: systemd

        """;

    private const string V4NoApiServer = """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.31.2
        networking:
          serviceSubnet: 10.96.0.0/12
        """;

    private const string V4EmptyApiServer = """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        apiServer: {}
        controllerManager: {}
        """;

    private const string V3 = """
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: ClusterConfiguration
        kubernetesVersion: v1.29.4
        apiServer:
          # keep the SANs
          certSANs:
            - 10.0.0.10
          extraArgs:
            authorization-mode: "Node,RBAC"
            enable-admission-plugins: NodeRestriction
          timeoutForControlPlane: 4m0s
        controllerManager: {}

        """;

    private readonly string _root = Directory.CreateTempSubdirectory("kubeaudit-kubeadm-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ManifestEditResult Enable(string text, AuditEnableOptions? options = null)
    {
        options ??= new AuditEnableOptions();
        var (flags, volumes) = KubeadmConfigEditor.Mirror(options);
        return KubeadmConfigEditor.Enable(text, flags, volumes, options.Force);
    }

    private static ManifestEditResult Disable(string text) => KubeadmConfigEditor.Disable(text, ["audit-policy-file", "audit-log-path", "audit-log-maxage", "audit-log-maxbackup", "audit-log-maxsize", "audit-log-format", "audit-log-compress", "audit-webhook-config-file"], KubeadmConfigEditor.ManagedVolumes);

    private static YamlMappingNode Cluster(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Single(m => ((YamlScalarNode)m["kind"]).Value == "ClusterConfiguration");
    }

    private static YamlMappingNode ApiServer(string text) => (YamlMappingNode)Cluster(text)["apiServer"];

    [Theory]
    [InlineData(V4)]
    [InlineData(V4NoApiServer)]
    [InlineData(V3)]
    public void Enable_IsIdempotent_AndDisableGivesTheOriginalBytesBack(string text)
    {
        var enabled = Enable(text);
        Assert.True(enabled.Changed, string.Join("\n", enabled.Diagnostics));
        Assert.True(enabled.Verified);
        Assert.Contains("audit-policy-file", enabled.Diff, StringComparison.Ordinal);

        var again = Enable(enabled.NewText);
        Assert.True(again.Succeeded);
        Assert.False(again.Changed);
        Assert.Equal("already configured", again.NoChangeReason);

        var disabled = Disable(enabled.NewText);
        Assert.True(disabled.Changed, string.Join("\n", disabled.Diagnostics));
        Assert.Equal(text, disabled.NewText);
        Assert.False(Disable(text).Changed);
    }

    [Fact]
    public void V4_AppendsNameValueItems_AndVolumes_KeepingEveryOtherByte()
    {
        var result = Enable(V4);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var expectedInsert = """
              - name: audit-policy-file
                value: /etc/kubernetes/audit-policy.yaml
              - name: audit-log-path
                value: /var/log/kubernetes/audit/audit.log
              - name: audit-log-maxage
                value: "30"
              - name: audit-log-maxbackup
                value: "10"
              - name: audit-log-maxsize
                value: "100"
              extraVolumes:
              - name: audit-policy
                hostPath: /etc/kubernetes/audit-policy.yaml
                mountPath: /etc/kubernetes/audit-policy.yaml
                readOnly: true
                pathType: File
              - name: audit-log
                hostPath: /var/log/kubernetes/audit
                mountPath: /var/log/kubernetes/audit
                readOnly: false
                pathType: DirectoryOrCreate

            """;
        var at = V4.IndexOf("networking:", StringComparison.Ordinal);
        Assert.Equal(V4[..at] + expectedInsert + V4[at..], result.NewText);

        var api = ApiServer(result.NewText);
        var args = ((YamlSequenceNode)api["extraArgs"]).Children.Cast<YamlMappingNode>().ToList();
        Assert.Equal(7, args.Count);
        Assert.Equal("30", ((YamlScalarNode)args[4]["value"]).Value);
    }

    [Fact]
    public void V3_AddsMapEntries_WithQuotedNumbers()
    {
        var result = Enable(V3);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Contains("    enable-admission-plugins: NodeRestriction\n    audit-policy-file: /etc/kubernetes/audit-policy.yaml\n    audit-log-path: /var/log/kubernetes/audit/audit.log\n    audit-log-maxage: \"30\"\n", result.NewText, StringComparison.Ordinal);
        Assert.Contains("  timeoutForControlPlane: 4m0s\n  extraVolumes:\n  - name: audit-policy\n", result.NewText, StringComparison.Ordinal);
        var args = (YamlMappingNode)ApiServer(result.NewText)["extraArgs"];
        Assert.Equal("100", ((YamlScalarNode)args["audit-log-maxsize"]).Value);
        Assert.Equal("Node,RBAC", ((YamlScalarNode)args["authorization-mode"]).Value);
    }

    [Fact]
    public void NoApiServer_IsCreatedAtTheEndOfTheClusterConfiguration()
    {
        var result = Enable(V4NoApiServer);
        Assert.StartsWith(V4NoApiServer + "\napiServer:\n  extraArgs:\n  - name: audit-policy-file\n    value: /etc/kubernetes/audit-policy.yaml\n", result.NewText, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyApiServer_IsExpanded()
    {
        var result = Enable(V4EmptyApiServer, new AuditEnableOptions { Format = "json", Compress = true, WebhookConfigPath = "/etc/kubernetes/webhook.kubeconfig" });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.StartsWith("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: audit-policy-file\n", result.NewText, StringComparison.Ordinal);
        Assert.EndsWith("    pathType: File\ncontrollerManager: {}", result.NewText, StringComparison.Ordinal);
        var api = ApiServer(result.NewText);
        var names = ((YamlSequenceNode)api["extraArgs"]).Children.Cast<YamlMappingNode>().Select(m => ((YamlScalarNode)m["name"]).Value).ToList();
        Assert.Contains("audit-log-format", names);
        Assert.Contains("audit-log-compress", names);
        Assert.Contains("audit-webhook-config-file", names);
        Assert.Equal(3, ((YamlSequenceNode)api["extraVolumes"]).Children.Count);
        Assert.False(Enable(result.NewText, new AuditEnableOptions { Format = "json", Compress = true, WebhookConfigPath = "/etc/kubernetes/webhook.kubeconfig" }).Changed);

        // apiServer left empty goes away; the meaning ({} or absent) is the same for kubeadm.
        var disabled = Disable(result.NewText);
        Assert.Equal("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrollerManager: {}", disabled.NewText);
    }

    [Fact]
    public void CrLf_IsKept()
    {
        var crlf = V4.Replace("\n", "\r\n", StringComparison.Ordinal);
        var result = Enable(crlf);
        Assert.True(result.Changed);
        Assert.DoesNotContain("\n", result.NewText.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(crlf, Disable(result.NewText).NewText);
    }

    [Fact]
    public void NoFinalNewline_RoundTrips()
    {
        var text = V3.TrimEnd('\n');
        var result = Enable(text);
        Assert.True(result.Changed);
        Assert.False(result.NewText.EndsWith('\n'));
        Assert.Equal(text, Disable(result.NewText).NewText);
    }

    [Theory]
    [InlineData(V4)]
    [InlineData(V3)]
    public void DifferentValue_IsAConflict_UnlessForce(string text)
    {
        var enabled = Enable(text).NewText;
        var conflict = Enable(enabled, new AuditEnableOptions { MaxAge = 7 });
        Assert.False(conflict.Succeeded);
        Assert.Equal(enabled, conflict.NewText);
        var error = Assert.Single(conflict.Diagnostics);
        Assert.Equal(DiagnosticCodes.AuditFlagConflict, error.Code);
        Assert.Contains("audit-log-maxage", error.Message, StringComparison.Ordinal);
        Assert.Contains("'30'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'7'", error.Message, StringComparison.Ordinal);

        var forced = Enable(enabled, new AuditEnableOptions { MaxAge = 7, Force = true });
        Assert.True(forced.Changed, string.Join("\n", forced.Diagnostics));
        Assert.Equal(enabled.Replace("\"30\"", "\"7\"", StringComparison.Ordinal), forced.NewText);
    }

    [Fact]
    public void DifferentVolume_IsAConflict_UnlessForce()
    {
        var enabled = Enable(V4).NewText;
        var options = new AuditEnableOptions { LogPath = "/var/log/audit/audit.log" };
        var conflict = Enable(enabled, options);
        Assert.False(conflict.Succeeded);
        Assert.Contains(conflict.Diagnostics, d => d.Code == DiagnosticCodes.AuditFlagConflict && d.Message.Contains("extraVolumes audit-log", StringComparison.Ordinal));

        var forced = Enable(enabled, new AuditEnableOptions { LogPath = "/var/log/audit/audit.log", Force = true });
        Assert.True(forced.Changed, string.Join("\n", forced.Diagnostics));
        Assert.Contains("  - name: audit-log\n    hostPath: /var/log/audit\n    mountPath: /var/log/audit\n    readOnly: false\n", forced.NewText, StringComparison.Ordinal);
        Assert.False(Enable(forced.NewText, options).Changed);
    }

    [Theory]
    [InlineData("apiVersion: kubeadm.k8s.io/v1beta2\nkind: ClusterConfiguration\n", DiagnosticCodes.NotAKubeadmConfig)]
    [InlineData("apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n", DiagnosticCodes.NotAKubeadmConfig)]
    [InlineData("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n", DiagnosticCodes.NotAKubeadmConfig)]
    [InlineData("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer: [\n", DiagnosticCodes.InvalidYaml)]
    [InlineData("{\"apiVersion\": \"kubeadm.k8s.io/v1beta4\", \"kind\": \"ClusterConfiguration\"}", DiagnosticCodes.UnsupportedManifestLayout)]
    [InlineData("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer: {certSANs: [a]}\n", DiagnosticCodes.UnsupportedManifestLayout)]
    [InlineData("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs: [{name: a, value: b}]\n", DiagnosticCodes.UnsupportedManifestLayout)]
    [InlineData("apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: a\n    value: b\n", DiagnosticCodes.UnsupportedManifestLayout)]
    public void Refuses(string text, string code)
    {
        var result = Enable(text);
        Assert.False(result.Succeeded);
        Assert.Equal(text, result.NewText);
        Assert.Equal(code, result.Diagnostics[0].Code);
    }

    [Fact]
    public void WriteKubeadmConfig_BacksUpAndRestores()
    {
        var path = Path.Combine(_root, "kubeadm-config.yaml");
        File.WriteAllText(path, V4);
        var original = File.ReadAllBytes(path);
        var options = new ManifestWriteOptions { BackupRoot = Path.Combine(_root, "tmp") };
        var edit = KubeadmConfigEditor.EnableFile(path, new AuditEnableOptions());
        Assert.True(edit.Changed);

        var written = ManifestWriter.WriteKubeadmConfig(path, edit, options);
        Assert.True(written.Succeeded, string.Join("\n", written.Diagnostics));
        Assert.True(written.Written);
        Assert.Equal(edit.NewText, File.ReadAllText(path));
        Assert.Equal(original, File.ReadAllBytes(written.BackupPath!));
        Assert.StartsWith(Path.Combine(_root, "tmp"), written.BackupPath, StringComparison.Ordinal);
        Assert.Equal([path], Directory.GetFileSystemEntries(_root, "*.yaml"));

        // A stale edit is refused; the file stays as it is.
        Assert.False(ManifestWriter.WriteKubeadmConfig(path, edit, options).Succeeded);

        var restored = ManifestWriter.Restore(path, written.BackupPath!);
        Assert.True(restored.Succeeded);
        Assert.Equal(original, File.ReadAllBytes(path));

        var disable = KubeadmConfigEditor.DisableFile(path);
        Assert.False(disable.Changed);
    }

    [Fact]
    public void WriteKubeadmConfig_FailureLeavesTheFileAlone()
    {
        var path = Path.Combine(_root, "kubeadm-config.yaml");
        File.WriteAllText(path, V3);
        var original = File.ReadAllBytes(path);
        var edit = KubeadmConfigEditor.EnableFile(path, new AuditEnableOptions());
        var options = new ManifestWriteOptions { BackupRoot = Path.Combine(_root, "tmp"), Fault = step => { if (step == "before-rename") { throw new IOException("injected"); } } };
        var result = ManifestWriter.WriteKubeadmConfig(path, edit, options);
        Assert.False(result.Succeeded);
        Assert.Equal(DiagnosticCodes.ManifestWriteFailed, result.Diagnostics[0].Code);
        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_root, "*kubeadm*"));
    }

    [Fact]
    public void EnableFile_MissingFile_IsAReadError()
    {
        var result = KubeadmConfigEditor.EnableFile(Path.Combine(_root, "missing.yaml"), new AuditEnableOptions());
        Assert.Equal(DiagnosticCodes.ReadFailed, Assert.Single(result.Diagnostics).Code);
    }
}
