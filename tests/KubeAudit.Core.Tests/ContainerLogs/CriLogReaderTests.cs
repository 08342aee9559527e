using KubeAudit.Core.ContainerLogs;

namespace KubeAudit.Core.Tests.ContainerLogs;

/// <summary>The kube-apiserver container log reader that explains an API server that did not come back.</summary>
public sealed class CriLogReaderTests : IDisposable
{
    private const string Failing =
        "2026-11-25T10:00:00.100000000Z stderr F I1125 10:00:00.100000       1 options.go:228] external host was not specified\n"
        + "2026-11-25T10:00:00.200000000Z stderr P E1125 10:00:00.200000       1 run.go:72] \"command failed\" \n"
        + "2026-11-25T10:00:00.200100000Z stdout F I1125 unrelated stdout line\n"
        + "2026-11-25T10:00:00.200200000Z stderr P err=\"loading audit policy file: \n"
        + "2026-11-25T10:00:00.200300000Z stderr F failed to read file path \\\"/etc/kubernetes/audit-policy.yaml\\\"\"\n"
        + "2026-11-25T10:00:00.300000000+00:00 stderr F Error: unknown flag: --audit-log-maxage2\n"
        + "2026-11-25T10:00:00.400000000Z stdout F W1125 10:00:00.400000       1 x.go:1] flag value is invalid here\n"
        + "2026-11-25T10:00:00.500000000Z stdout F I1125 10:00:00.500000       1 y.go:1] all fine\n"
        + "not a cri line at all\n";

    private readonly string _root = Directory.CreateTempSubdirectory("kubeaudit-crilog-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Log(string pod, string name, string text, DateTime written)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, pod, "kube-apiserver")).FullName;
        var file = Path.Combine(folder, name);
        File.WriteAllText(file, text);
        File.SetLastWriteTimeUtc(file, written);
        return file;
    }

    [Fact]
    public void ReadErrors_JoinsPartialLines_AndKeepsOnlyErrors()
    {
        Log("kube-system_kube-apiserver-node1_0123", "0.log", Failing, DateTime.UtcNow);
        var errors = CriLogReader.ReadErrors(_root);

        // The stdout line between the stderr parts is its own line, and no error.
        Assert.Equal(3, errors.Count);
        var joined = errors[0];
        Assert.Equal("stderr", joined.Stream);
        Assert.Equal(
            "E1125 10:00:00.200000       1 run.go:72] \"command failed\" err=\"loading audit policy file: failed to read file path \\\"/etc/kubernetes/audit-policy.yaml\\\"\"",
            joined.Message);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 0, 0, 200, TimeSpan.Zero), joined.Timestamp);
        Assert.Equal("Error: unknown flag: --audit-log-maxage2", errors[1].Message);
        Assert.StartsWith("W1125", errors[2].Message);
        Assert.Equal("stdout", errors[2].Stream);
        Assert.DoesNotContain(errors, e => e.Message.Contains("all fine", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadErrors_ChoosesTheNewestLog_AcrossPodFoldersAndRestarts()
    {
        var old = DateTime.UtcNow.AddMinutes(-10);
        Log("kube-system_kube-apiserver-node1_aaaa", "0.log", "2026-11-25T09:00:00Z stderr F E1125 09:00:00.000000 1 old.go:1] old pod\n", old);
        Log("kube-system_kube-apiserver-node1_bbbb", "0.log", "2026-11-25T10:00:00Z stderr F E1125 10:00:00.000000 1 a.go:1] first run\n", old.AddMinutes(1));
        var newest = Log("kube-system_kube-apiserver-node1_bbbb", "1.log", "2026-11-25T10:05:00Z stderr F E1125 10:05:00.000000 1 b.go:1] second run\n", old.AddMinutes(5));
        Log("kube-system_etcd-node1_cccc", "0.log", "2026-11-25T10:09:00Z stderr F E1125 10:09:00.000000 1 etcd.go:1] not ours\n", DateTime.UtcNow);
        Directory.CreateDirectory(Path.Combine(_root, "kube-system_kube-apiserver-node1_bbbb", "kube-apiserver"));
        File.WriteAllText(Path.Combine(_root, "kube-system_kube-apiserver-node1_bbbb", "kube-apiserver", "1.log.20261125-100500"), "rotated");

        Assert.Equal(newest, CriLogReader.FindNewestLog(_root));
        var errors = CriLogReader.ReadErrors(_root);
        Assert.Equal(["E1125 10:05:00.000000 1 b.go:1] second run"], errors.Select(e => e.Message));
    }

    [Fact]
    public void ReadErrors_HonoursSinceAndMax()
    {
        Log("kube-system_kube-apiserver-n_1", "0.log", Failing, DateTime.UtcNow);
        var since = CriLogReader.ReadErrors(_root, new DateTimeOffset(2026, 11, 25, 10, 0, 0, 300, TimeSpan.Zero));
        Assert.Equal(2, since.Count);
        Assert.StartsWith("Error:", since[0].Message);

        var last = CriLogReader.ReadErrors(_root, max: 1);
        Assert.Single(last);
        Assert.StartsWith("W1125", last[0].Message);
        Assert.Empty(CriLogReader.ReadErrors(_root, max: 0));
    }

    [Fact]
    public void ReadErrors_WithoutFolderOrLog_IsEmpty()
    {
        Assert.Empty(CriLogReader.ReadErrors(Path.Combine(_root, "missing")));
        Assert.Null(CriLogReader.FindNewestLog(Path.Combine(_root, "missing")));
        Directory.CreateDirectory(Path.Combine(_root, "kube-system_kube-apiserver-n_1", "kube-apiserver"));
        Assert.Empty(CriLogReader.ReadErrors(_root));
    }

    [Theory]
    [InlineData("E1125 10:00:00.000000       1 run.go:72] \"command failed\"", true)]
    [InlineData("Error: unknown flag", true)]
    [InlineData("I1125 all fine", false)]
    [InlineData("Everything is fine", false)]
    [InlineData("E112 short", false)]
    [InlineData("W1125 validation Failed", true)]
    public void IsError_Classifies(string message, bool expected) => Assert.Equal(expected, CriLogReader.IsError(message));

    [Fact]
    public void TryParse_ReadsNanosecondTimestampsAndTags()
    {
        Assert.True(CriLogReader.TryParse("2026-11-25T10:00:00.123456789Z stdout P part", out var time, out var stream, out var partial, out var message));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), time);
        Assert.Equal("stdout", stream);
        Assert.True(partial);
        Assert.Equal("part", message);
        Assert.False(CriLogReader.TryParse("2026-11-25T10:00:00Z console F x", out _, out _, out _, out _));
        Assert.False(CriLogReader.TryParse("garbage", out _, out _, out _, out _));
    }
}
