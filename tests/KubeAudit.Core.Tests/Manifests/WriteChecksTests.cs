using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>The checks -WhatIf and the real write share: backup root outside the manifests folder (through links) and makeable.</summary>
public sealed class WriteChecksTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kubeaudit-checks-").FullName;

    public WriteChecksTests()
    {
        Directory.CreateDirectory(ManifestsFolder);
        File.WriteAllText(ManifestPath, "not read");
    }

    private string ManifestsFolder => Path.Combine(_root, "manifests");

    private string ManifestPath => Path.Combine(ManifestsFolder, "kube-apiserver.yaml");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void BackupRoot_OutsideAndMakeable_IsAccepted()
    {
        Assert.Null(WriteChecks.BackupRoot(ManifestPath, Path.Combine(_root, "tmp", "deeper")));
    }

    [Fact]
    public void BackupRoot_InsideTheManifestsFolder_IsRefused()
    {
        var refused = WriteChecks.BackupRoot(ManifestPath, Path.Combine(ManifestsFolder, "bk"));
        Assert.Equal(DiagnosticCodes.ManifestWriteFailed, refused?.Code);
        Assert.Contains("inside the manifests folder", refused!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bk")]
    public void BackupRoot_ThroughALinkToTheManifestsFolder_IsRefused(string below)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // symbolic links need privileges there
        }

        var link = Path.Combine(_root, "link");
        Directory.CreateSymbolicLink(link, ManifestsFolder);
        var refused = WriteChecks.BackupRoot(ManifestPath, Path.Combine(link, below));
        Assert.Equal(DiagnosticCodes.ManifestWriteFailed, refused?.Code);
    }

    [Fact]
    public void BackupRoot_WhenTheManifestIsALinkIntoAnotherFolder_IsComparedWithTheTargetsFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var elsewhere = Directory.CreateDirectory(Path.Combine(_root, "real")).FullName;
        var target = Path.Combine(elsewhere, "kube-apiserver.yaml");
        File.Move(ManifestPath, target);
        File.CreateSymbolicLink(ManifestPath, target);
        Assert.NotNull(WriteChecks.BackupRoot(ManifestPath, Path.Combine(elsewhere, "bk")));
    }

    [Theory]
    [InlineData("tmp")]
    [InlineData("tmp/deeper")]
    public void BackupRoot_ThatIsOrIsBelowAFile_IsRefused(string backupRoot)
    {
        File.WriteAllText(Path.Combine(_root, "tmp"), "a file");
        var refused = WriteChecks.BackupRoot(ManifestPath, Path.Combine(_root, backupRoot));
        Assert.Equal(DiagnosticCodes.ManifestWriteFailed, refused?.Code);
        Assert.Contains("is a file", refused!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RealPath_ResolvesEveryLinkAlongThePath_AndKeepsTheMissingTail()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var link = Path.Combine(_root, "link");
        Directory.CreateSymbolicLink(link, ManifestsFolder);
        Assert.Equal(Path.Combine(WriteChecks.RealPath(ManifestsFolder), "a", "b"), WriteChecks.RealPath(Path.Combine(link, "a", "b")));
    }
}
