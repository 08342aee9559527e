using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

public sealed class PolicyFileWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeaudit-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WritesUtf8WithoutBom_AndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_dir, "audit-policy.yaml");

        PolicyFileWriter.Write(path, "kind: Policy\n", overwrite: false);

        Assert.Equal("kind: Policy\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["audit-policy.yaml"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void IsOwnerOnlyOnUnix()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only.
        }

        var path = Path.Combine(_dir, "p.yaml");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);

        PolicyFileWriter.Write(path, "new", overwrite: true);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void RefusesAnExistingFile_AndLeavesItByteIdentical()
    {
        var path = Path.Combine(_dir, "p.yaml");
        byte[] original = [0x23, 0x20, 0xC3, 0xA9, 0x0D, 0x0A];
        File.WriteAllBytes(path, original);

        Assert.Throws<IOException>(() => PolicyFileWriter.Write(path, "new", overwrite: false));

        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void MissingFolder_FailsWithoutLeavingAnything()
    {
        var path = Path.Combine(_dir, "no-such-dir", "p.yaml");

        Assert.ThrowsAny<IOException>(() => PolicyFileWriter.Write(path, "x", overwrite: false));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }
}
