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

    [Fact]
    public void TakeBack_AfterALaterStepFailedAndTheFilesWerePutBack_LeavesTheTreeAsItWas()
    {
        var before = Tree();
        var options = new ManifestWriteOptions { BackupRoot = Path.Combine(_root, "tmp", "deeper") };
        var manifest = ManifestWriter.Write(ManifestPath, ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions()), options);
        var policy = ManifestWriter.WritePolicy(ValidPolicy, Path.Combine(_root, "etc", "audit", "audit-policy.yaml"), options);
        Assert.True(manifest.Written && policy.Written);

        // What the cmdlet does when a later step fails: put each file back, then take back what its write made.
        Assert.True(ManifestWriter.Restore(ManifestPath, manifest.BackupPath!).Succeeded);
        File.Delete(policy.Path);
        ManifestWriter.TakeBack(manifest);
        ManifestWriter.TakeBack(policy);

        Assert.Equal(before, Tree());
    }
}
