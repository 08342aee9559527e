using KubeAudit.Core.Manifests;
using static KubeAudit.Core.Tests.Manifests.ManifestFixtures;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>A failed write takes back what it made: no backup, no backup folder, no policy folder.</summary>
public sealed class ManifestWriterCleanupTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kubeaudit-cleanup-").FullName;

    public ManifestWriterCleanupTests()
    {
        Directory.CreateDirectory(ManifestsFolder);
        File.WriteAllText(ManifestPath, Corpus(Kubeadm));
    }

    private string ManifestsFolder => Path.Combine(_root, "manifests");

    private string ManifestPath => Path.Combine(ManifestsFolder, "kube-apiserver.yaml");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ManifestWriteOptions FailAt(string backupRoot, string step) => new()
    {
        BackupRoot = backupRoot,
        Fault = s =>
        {
            if (s == step)
            {
                throw new IOException("injected at " + s);
            }
        },
    };

    // Every entry under the root, so that a test sees folders as well as files.
    private string[] Tree() => [.. Directory.GetFileSystemEntries(_root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("temp-written", "tmp/deeper")]
    [InlineData("before-rename", "tmp/deeper")]
    [InlineData("before-rename", "existing")]
    public void FailedManifestWrite_LeavesNoBackupAndNoFolderItMade(string step, string backupRoot)
    {
        Directory.CreateDirectory(Path.Combine(_root, "existing"));
        var before = Tree();
        var edit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());

        var result = ManifestWriter.Write(ManifestPath, edit, FailAt(Path.Combine(_root, backupRoot), step));

        Assert.False(result.Succeeded);
        Assert.Null(result.BackupPath);
        Assert.Equal(before, Tree());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FailedPolicyWrite_LeavesNoBackupAndNoFolderItMade(bool existing)
    {
        var destination = Path.Combine(_root, "etc", "audit", "audit-policy.yaml");
        if (existing)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.WriteAllText(destination, ValidPolicy.Replace("Metadata", "Request", StringComparison.Ordinal));
        }

        var before = Tree();
        var result = ManifestWriter.WritePolicy(ValidPolicy, destination, FailAt(Path.Combine(_root, "tmp"), "before-rename"));

        Assert.False(result.Succeeded);
        Assert.Equal(before, Tree());
    }
}
