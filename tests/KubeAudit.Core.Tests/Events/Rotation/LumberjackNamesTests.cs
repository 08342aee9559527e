using KubeAudit.Core.Events.Rotation;

namespace KubeAudit.Core.Tests.Events.Rotation;

public class LumberjackNamesTests
{
    private static readonly DateTime s_time = new(2024, 5, 1, 12, 30, 45, 123, DateTimeKind.Utc);

    [Theory]
    [InlineData("audit.log", "audit-2024-05-01T12-30-45.123.log")]
    [InlineData("kube-apiserver-audit.log", "kube-apiserver-audit-2024-05-01T12-30-45.123.log")]
    [InlineData("audit", "audit-2024-05-01T12-30-45.123")]
    [InlineData("audit.v1.jsonl", "audit.v1-2024-05-01T12-30-45.123.jsonl")]
    public void BackupName_IsLumberjacks(string active, string backup)
    {
        Assert.Equal(backup, LumberjackNames.BackupName(active, s_time));
        Assert.Equal(backup + ".gz", LumberjackNames.BackupName(active, s_time, compressed: true));
        Assert.True(LumberjackNames.TryParse(backup, active, out var plain));
        Assert.Equal(new LumberjackBackup(active, s_time, false), plain);
        Assert.True(LumberjackNames.TryParse(backup + ".gz", active, out var gz));
        Assert.True(gz.Compressed);
    }

    [Theory]
    [InlineData("audit.log")]
    [InlineData("audit-2024-05-01T12-30-45.log")] // no milliseconds
    [InlineData("audit-2024-13-01T12-30-45.123.log")] // month 13
    [InlineData("audit-2024-05-01T12:30:45.123.log")] // colons
    [InlineData("audit-2024-05-01T12-30-45.123.log.bak")]
    [InlineData("audit-2024-05-01T12-30-45.1234.log")]
    public void Interpret_NotABackup_GivesNothing(string name) => Assert.Empty(LumberjackNames.Interpret(name));

    [Fact]
    public void Interpret_GzAfterTheTimestamp_IsAmbiguous_CompressedExtensionlessFirst()
    {
        var readings = LumberjackNames.Interpret("audit-2024-05-01T12-30-45.123.gz");

        Assert.Equal([new LumberjackBackup("audit", s_time, true), new LumberjackBackup("audit.gz", s_time, false)], readings);
    }

    [Fact]
    public void TryParse_BackupOfAnotherFile_IsFalse()
    {
        Assert.False(LumberjackNames.TryParse("audit-2024-05-01T12-30-45.123.log", "kube-audit.log", out _));
        Assert.False(LumberjackNames.TryParse("audit-2024-05-01T12-30-45.123.log", "audit.json", out _));
    }
}
