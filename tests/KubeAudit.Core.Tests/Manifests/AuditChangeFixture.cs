using KubeAudit.Core.Manifests;
using KubeAudit.Core.Policy;
using static KubeAudit.Core.Tests.Manifests.ManifestFixtures;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>A node's files in a temp folder: manifest, kubeadm configuration, host root, backups, pod logs; and the whole tree, byte for byte.</summary>
internal sealed class AuditChangeFixture : IDisposable
{
    public const string KubeadmV4 = """
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        kubernetesVersion: v1.31.2
        apiServer:
          extraArgs:
          - name: authorization-mode
            value: Node,RBAC

        """;

    private readonly TempFolder _temp = new();

    public AuditChangeFixture()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ManifestPath)!);
        File.WriteAllText(ManifestPath, Corpus(Kubeadm));
        File.WriteAllText(KubeadmPath, KubeadmV4);
        Directory.CreateDirectory(PodLogs);
    }

    public string Root => _temp.Path;

    public string HostRoot => _temp.File("host");

    public string ManifestPath => _temp.File("host/etc/kubernetes/manifests/kube-apiserver.yaml");

    public string KubeadmPath => _temp.File("kubeadm.yaml");

    public string BackupRoot => _temp.File("host/etc/kubernetes/tmp");

    public string PodLogs => _temp.File("pods");

    public string PolicyFile => HostPaths.OnDisk(HostRoot, "/etc/kubernetes/audit-policy.yaml");

    public AuditEnableRequest Request(bool kubeadm = true, string policy = "/etc/kubernetes/audit-policy.yaml", string log = "/var/log/kubernetes/audit/audit.log", bool force = false, string? backupRoot = null) => new()
    {
        ManifestPath = ManifestPath,
        Options = new AuditEnableOptions { PolicyPath = policy, LogPath = log, Force = force },
        PolicyText = RecommendedPolicy.Build(),
        PolicySource = "the recommended policy",
        HostRoot = HostRoot,
        BackupRoot = backupRoot ?? BackupRoot,
        KubeadmConfigPath = kubeadm ? KubeadmPath : null,
    };

    /// <summary>Every file and folder under the root with its bytes: two equal trees are byte-identical.</summary>
    public SortedDictionary<string, string> Tree()
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.GetFileSystemEntries(Root, "*", SearchOption.AllDirectories))
        {
            tree[entry] = Directory.Exists(entry) ? "<folder>" : Convert.ToBase64String(File.ReadAllBytes(entry));
        }

        return tree;
    }

    /// <summary>Write options' fault hook that throws at the <paramref name="n"/>th rename, counting every write of one Apply.</summary>
    public static Action<string> FailAtRename(int n)
    {
        var renames = 0;
        return step =>
        {
            if (step == "before-rename" && ++renames == n)
            {
                throw new IOException("injected at rename " + n);
            }
        };
    }

    public void Dispose() => _temp.Dispose();
}
