using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;
using static KubeAudit.Core.Tests.Manifests.ManifestFixtures;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>The safe write: backup outside, dot temp file, rename; any failure leaves the original byte-identical.</summary>
public sealed class ManifestWriterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kubeaudit-write-").FullName;

    public ManifestWriterTests()
    {
        Directory.CreateDirectory(ManifestsFolder);
        File.WriteAllText(ManifestPath, Corpus(Kubeadm));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ManifestPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private string ManifestsFolder => Path.Combine(_root, "manifests");

    private string ManifestPath => Path.Combine(ManifestsFolder, "kube-apiserver.yaml");

    private ManifestWriteOptions Options(Action<string>? fault = null) => new() { BackupRoot = Path.Combine(_root, "tmp"), Fault = fault };

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Write_ReplacesTheManifest_KeepsMode_BacksUpOutside_LeavesNoOtherFile()
    {
        var original = File.ReadAllBytes(ManifestPath);
        var edit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());
        var result = ManifestWriter.Write(ManifestPath, edit, Options());

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.True(result.Written);
        Assert.Equal(edit.NewText, File.ReadAllText(ManifestPath));
        Assert.Equal([ManifestPath], Directory.GetFileSystemEntries(ManifestsFolder));
        Assert.NotNull(result.BackupPath);
        Assert.StartsWith(Path.Combine(_root, "tmp", "kubeaudit-backup-"), result.BackupPath);
        Assert.Equal(original, File.ReadAllBytes(result.BackupPath!));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ManifestPath));
        }

        // A second Enable on the written file changes nothing and writes nothing.
        var again = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());
        Assert.False(again.Changed);
        Assert.False(ManifestWriter.Write(ManifestPath, again, Options()).Written);
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("temp-written")]
    [InlineData("before-rename")]
    public void FailureAtAnyStep_LeavesTheOriginalByteIdentical_AndNoStrayFile(string step)
    {
        var original = File.ReadAllBytes(ManifestPath);
        var edit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());
        var result = ManifestWriter.Write(ManifestPath, edit, Options(s =>
        {
            if (s == step)
            {
                throw new IOException("injected at " + s);
            }
        }));

        Assert.False(result.Succeeded);
        Assert.Equal(DiagnosticCodes.ManifestWriteFailed, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(original, File.ReadAllBytes(ManifestPath));
        Assert.Equal([ManifestPath], Directory.GetFileSystemEntries(ManifestsFolder));
    }

    [Fact]
    public void UnwritableBackupLocation_LeavesTheOriginal()
    {
        var original = File.ReadAllBytes(ManifestPath);
        File.WriteAllText(Path.Combine(_root, "tmp"), "a file where the backup folder should be");
        var result = ManifestWriter.Write(ManifestPath, ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions()), Options());
        Assert.False(result.Succeeded);
        Assert.Equal(original, File.ReadAllBytes(ManifestPath));
    }

    [Fact]
    public void TempFileCannotBeCreated_LeavesTheOriginal()
    {
        // The manifests "folder" of the target is a path whose parent is a file: the temp file cannot exist there.
        var original = File.ReadAllBytes(ManifestPath);
        var edit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());
        var result = ManifestWriter.Write(ManifestPath, edit, Options(s =>
        {
            if (s == "backup")
            {
                Directory.CreateDirectory(Path.Combine(ManifestsFolder, "blocker"));
            }
        }));
        Assert.True(result.Succeeded); // sanity: a sub-folder does not disturb the write
        File.WriteAllBytes(ManifestPath, original);
        Directory.Delete(Path.Combine(ManifestsFolder, "blocker"));

        var readOnlyEdit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());
        var failed = ManifestWriter.Write(ManifestPath, readOnlyEdit, Options(s =>
        {
            if (s == "temp-written")
            {
                throw new UnauthorizedAccessException("temp folder not writable");
            }
        }));
        Assert.False(failed.Succeeded);
        Assert.Equal(original, File.ReadAllBytes(ManifestPath));
        Assert.Equal([ManifestPath], Directory.GetFileSystemEntries(ManifestsFolder));
    }

    [Fact]
    public void UnverifiedOrFailedEdit_IsNotWritten()
    {
        var original = File.ReadAllBytes(ManifestPath);
        var text = File.ReadAllText(ManifestPath);
        var unverified = new ManifestEditResult { File = ManifestPath, OriginalText = text, NewText = text + "# sneaky\n", Verified = false };
        Assert.Equal(DiagnosticCodes.ManifestVerificationFailed, Assert.Single(ManifestWriter.Write(ManifestPath, unverified, Options()).Diagnostics).Code);

        var broken = new ManifestEditResult { File = ManifestPath, OriginalText = text, NewText = "kind: [", Verified = true };
        Assert.False(ManifestWriter.Write(ManifestPath, broken, Options()).Succeeded);

        var conflict = ApiServerManifestEditor.Enable(Corpus(Kops), new AuditEnableOptions());
        Assert.False(ManifestWriter.Write(ManifestPath, conflict, Options()).Succeeded);
        Assert.Equal(original, File.ReadAllBytes(ManifestPath));
        Assert.False(Directory.Exists(Path.Combine(_root, "tmp")));
    }

    [Fact]
    public void ManifestChangedSinceTheEdit_IsNotOverwritten()
    {
        var edit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());
        File.AppendAllText(ManifestPath, "# edited by someone else\n");
        var changed = File.ReadAllBytes(ManifestPath);
        Assert.False(ManifestWriter.Write(ManifestPath, edit, Options()).Succeeded);
        Assert.Equal(changed, File.ReadAllBytes(ManifestPath));
    }

    [Fact]
    public void BackupInsideTheManifestsFolder_IsRefused()
    {
        var original = File.ReadAllBytes(ManifestPath);
        var edit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());
        var result = ManifestWriter.Write(ManifestPath, edit, new ManifestWriteOptions { BackupRoot = Path.Combine(ManifestsFolder, "backups") });
        Assert.False(result.Succeeded);
        Assert.Equal(original, File.ReadAllBytes(ManifestPath));
        Assert.Equal([ManifestPath], Directory.GetFileSystemEntries(ManifestsFolder));
    }

    [Fact]
    public void Bom_IsKept()
    {
        var text = File.ReadAllText(ManifestPath);
        File.WriteAllBytes(ManifestPath, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(text)]);
        var edit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());
        Assert.True(ManifestWriter.Write(ManifestPath, edit, Options()).Succeeded);
        Assert.Equal([0xEF, 0xBB, 0xBF], File.ReadAllBytes(ManifestPath)[..3]);
    }

    [Fact]
    public void Policy_IsWrittenWithMode0600_InvalidOneRefused()
    {
        var destination = Path.Combine(_root, "etc", "audit-policy.yaml");
        var invalid = ManifestWriter.WritePolicy("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n", destination, Options());
        Assert.Equal(DiagnosticCodes.InvalidAuditPolicy, Assert.Single(invalid.Diagnostics).Code);
        Assert.False(File.Exists(destination));

        var written = ManifestWriter.WritePolicy(ValidPolicy, destination, Options());
        Assert.True(written.Written, string.Join("\n", written.Diagnostics));
        Assert.Equal(ValidPolicy, File.ReadAllText(destination));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(destination));
        }

        Assert.False(ManifestWriter.WritePolicy(ValidPolicy, destination, Options()).Written); // same content: no change
        var replaced = ManifestWriter.WritePolicy(ValidPolicy.Replace("Metadata", "Request", StringComparison.Ordinal), destination, Options());
        Assert.True(replaced.Written);
        Assert.Equal(ValidPolicy, File.ReadAllText(replaced.BackupPath!));
        Assert.Equal(["audit-policy.yaml"], Directory.GetFiles(Path.GetDirectoryName(destination)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_RemovesStaleTempFilesOfItsOwnFromAKilledRun_KeepsFreshAndForeignOnes()
    {
        // A run killed between writing its temp file and the rename leaves one behind, hidden from the kubelet but never removed.
        var stale = Path.Combine(ManifestsFolder, ".kube-apiserver.yaml.kubeaudit-0123456789abcdef0123456789abcdef.tmp");
        var fresh = Path.Combine(ManifestsFolder, ".kube-apiserver.yaml.kubeaudit-fedcba9876543210fedcba9876543210.tmp");
        var foreign = Path.Combine(ManifestsFolder, ".kube-apiserver.yaml.swp");
        foreach (var file in new[] { stale, fresh, foreign })
        {
            File.WriteAllText(file, "partial");
        }

        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
        var edit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());

        var result = ManifestWriter.Write(ManifestPath, edit, Options());

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh), "a temp file just written may belong to a run still going");
        Assert.True(File.Exists(foreign));
        Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Info && d.Message.Contains(Path.GetFileName(stale)));
    }

    [Fact]
    public void WritePolicy_RemovesStaleTempFilesOfItsOwn()
    {
        var destination = Path.Combine(_root, "etc", "audit-policy.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var stale = Path.Combine(_root, "etc", ".audit-policy.yaml.kubeaudit-0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(stale, "partial");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));

        Assert.True(ManifestWriter.WritePolicy(ValidPolicy, destination, Options()).Written);

        Assert.Equal([destination], Directory.GetFileSystemEntries(Path.Combine(_root, "etc")));
    }

    [Fact]
    public void Write_ThroughASymlink_EditsTheTargetInItsFolder_AndKeepsTheLink()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symlinks need privileges there
        }

        // Configuration management often keeps the real file elsewhere and links it into the manifests folder.
        var managed = Directory.CreateDirectory(Path.Combine(_root, "managed")).FullName;
        var target = Path.Combine(managed, "kube-apiserver.yaml");
        File.Move(ManifestPath, target);
        File.CreateSymbolicLink(ManifestPath, target);
        var edit = ApiServerManifestEditor.EnableFile(ManifestPath, new AuditEnableOptions());

        var result = ManifestWriter.Write(ManifestPath, edit, Options());

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(target, new FileInfo(ManifestPath).LinkTarget);
        Assert.Equal(edit.NewText, File.ReadAllText(target));
        Assert.Equal(target, result.Path);
        Assert.Equal([ManifestPath], Directory.GetFileSystemEntries(ManifestsFolder));
        Assert.Equal([target], Directory.GetFileSystemEntries(managed));
    }
}
