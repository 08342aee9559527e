using KubeAudit.Core.Manifests;
using static KubeAudit.Core.Tests.Manifests.ManifestFixtures;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>Restore: the backup a write made goes back over the manifest, atomically.</summary>
public sealed class ManifestRestoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kubeaudit-restore-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Restore_PutsTheOriginalBack_ByteIdentical_KeepsMode_LeavesNoStrayFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "manifests")).FullName;
        var manifest = Path.Combine(folder, "kube-apiserver.yaml");
        File.WriteAllText(manifest, Corpus(Kubeadm));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(manifest, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var original = File.ReadAllBytes(manifest);
        var options = new ManifestWriteOptions { BackupRoot = Path.Combine(_root, "tmp") };
        var written = ManifestWriter.Write(manifest, ApiServerManifestEditor.EnableFile(manifest, new AuditEnableOptions()), options);
        Assert.True(written.Written);
        Assert.NotEqual(original, File.ReadAllBytes(manifest));

        var restored = ManifestWriter.Restore(manifest, written.BackupPath!, options);
        Assert.True(restored.Succeeded, string.Join("\n", restored.Diagnostics));
        Assert.True(restored.Written);
        Assert.Equal(original, File.ReadAllBytes(manifest));
        Assert.Equal([manifest], Directory.GetFileSystemEntries(folder));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(manifest));
        }

        Assert.False(ManifestWriter.Restore(manifest, written.BackupPath!, options).Written);
        Assert.False(ManifestWriter.Restore(manifest, Path.Combine(_root, "none"), options).Succeeded);
    }
}
