using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Tests.Events.Follow;

public class FileStampsTests
{
    [Fact]
    public void Identity_FollowsTheFileThroughARename_NotThePath()
    {
        using var dir = new TempFolder();
        var path = dir.File("audit.log");
        File.WriteAllText(path, "abc\n");
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var before = FileStamps.OfHandle(handle);

        Assert.Equal(before, FileStamps.OfPath(path));
        Assert.Equal(4, before.Length);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            Assert.False(before.Identity.Heuristic);
        }

        File.Move(path, dir.File("audit-2024-01-01T00-00-00.000.log"));
        Assert.Null(FileStamps.OfPath(path));
        File.WriteAllText(path, "abcdef\n");

        Assert.Equal(before.Identity, FileStamps.OfHandle(handle).Identity);
        Assert.Equal(before.Identity, FileStamps.OfPath(dir.File("audit-2024-01-01T00-00-00.000.log"))!.Value.Identity);
        Assert.NotEqual(before.Identity, FileStamps.OfPath(path)!.Value.Identity);
        Assert.Equal(7, FileStamps.OfPath(path)!.Value.Length);
    }
}
