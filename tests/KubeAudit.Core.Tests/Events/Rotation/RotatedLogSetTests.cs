using KubeAudit.Core.Events.Rotation;

namespace KubeAudit.Core.Tests.Events.Rotation;

public class RotatedLogSetTests
{
    [Fact]
    public void Order_BackupsOldestFirstByNameTime_ActiveLast_NotByMtime()
    {
        using var dir = new TempFolder();
        var names = new[]
        {
            "audit.log",
            "audit-2024-05-02T00-00-00.000.log",
            "audit-2024-05-01T23-59-59.999.log.gz",
            "audit-2024-04-30T10-00-00.000.log.gz",
        };
        var paths = Create(dir, names);

        // mtimes the other way round: compression and copies change them.
        for (var i = 0; i < paths.Length; i++)
        {
            File.SetLastWriteTimeUtc(paths[i], new DateTime(2020, 1, 1).AddDays(-i));
        }

        var ordered = RotatedLogSet.Order(paths);

        Assert.Equal(
            ["audit-2024-04-30T10-00-00.000.log.gz", "audit-2024-05-01T23-59-59.999.log.gz", "audit-2024-05-02T00-00-00.000.log", "audit.log"],
            ordered.Select(Path.GetFileName));
    }

    [Fact]
    public void Order_BackupBeingCompressed_CountsOnceAsThePlainFile()
    {
        var ordered = RotatedLogSet.Order(
        [
            "/logs/audit-2024-05-01T00-00-00.000.log.gz",
            "/logs/audit-2024-05-01T00-00-00.000.log",
            "/logs/audit.log",
        ]);

        Assert.Equal(["/logs/audit-2024-05-01T00-00-00.000.log", "/logs/audit.log"], ordered);
    }

    [Fact]
    public void Order_UnrelatedFilesKeepTheirPlace_EachSetWhereItsFirstFileWas_DuplicatesDropped()
    {
        var ordered = RotatedLogSet.Order(
        [
            "/a/zeta.json",
            "/a/audit.log",
            "/a/other.log",
            "/a/kube-audit-2024-01-02T00-00-00.000.log",
            "/a/audit-2024-01-01T00-00-00.000.log",
            "/a/kube-audit-2024-01-01T00-00-00.000.log",
            "/a/zeta.json",
            "/b/audit-2023-01-01T00-00-00.000.log", // another folder, another set
            "/a/alpha.jsonl",
        ]);

        Assert.Equal(
        [
            "/a/zeta.json",
            "/a/audit-2024-01-01T00-00-00.000.log", "/a/audit.log",
            "/a/other.log",
            "/a/kube-audit-2024-01-01T00-00-00.000.log", "/a/kube-audit-2024-01-02T00-00-00.000.log",
            "/b/audit-2023-01-01T00-00-00.000.log",
            "/a/alpha.jsonl",
        ], ordered);
    }

    [Fact]
    public void Order_GzAmbiguity_ResolvedByTheActiveFileGiven()
    {
        var withGzActive = RotatedLogSet.Order(["/x/events-2024-01-01T00-00-00.000.gz", "/x/zz.json", "/x/events.gz"]);
        var withPlainActive = RotatedLogSet.Order(["/x/events", "/x/zz.json", "/x/events-2024-01-01T00-00-00.000.gz"]);
        var withBoth = RotatedLogSet.Order(["/x/events.gz", "/x/events", "/x/events-2024-01-01T00-00-00.000.gz"]);

        Assert.Equal(["/x/events-2024-01-01T00-00-00.000.gz", "/x/events.gz", "/x/zz.json"], withGzActive);
        Assert.Equal(["/x/events-2024-01-01T00-00-00.000.gz", "/x/events", "/x/zz.json"], withPlainActive);

        // Both could own it: lumberjack's compressed backup of the extensionless file is the likelier.
        Assert.Equal(["/x/events.gz", "/x/events-2024-01-01T00-00-00.000.gz", "/x/events"], withBoth);
    }

    [Fact]
    public void ExpandFolder_TakesAuditLogsOnly_SortsByName_OrdersEachSet()
    {
        using var dir = new TempFolder();
        Create(dir,
        [
            "audit.log",
            "audit-2024-05-01T00-00-00.000.log.gz",
            "audit-2024-04-01T00-00-00.000.log",
            "audit-2024-05-01T00-00-00.000.log", // compression in progress
            "kube-apiserver-audit.log",
            "kube-apiserver-audit-2024-03-01T00-00-00.000.log.gz",
            "events.jsonl",
            "dump.json",
            "old.log.gz",
            "raw",
            "raw-2024-01-01T00-00-00.000",
            "raw-2024-02-01T00-00-00.000.gz",
            "notes.txt",
            "policy.yaml",
            "README",
        ]);

        var files = RotatedLogSet.ExpandFolder(dir.Path).Select(Path.GetFileName).ToList();

        Assert.Equal(
        [
            "audit-2024-04-01T00-00-00.000.log", "audit-2024-05-01T00-00-00.000.log", "audit.log",
            "dump.json",
            "events.jsonl",
            "kube-apiserver-audit-2024-03-01T00-00-00.000.log.gz", "kube-apiserver-audit.log",
            "old.log.gz",
            "raw-2024-01-01T00-00-00.000", "raw-2024-02-01T00-00-00.000.gz", "raw",
        ], files);
        Assert.All(RotatedLogSet.ExpandFolder(dir.Path), p => Assert.Equal(dir.Path, Path.GetDirectoryName(p)));
    }

    [Fact]
    public void FindBackups_OneEntryPerTimestamp_OldestFirst()
    {
        using var dir = new TempFolder();
        Create(dir,
        [
            "audit.log",
            "audit-2024-05-01T00-00-00.000.log",
            "audit-2024-05-01T00-00-00.000.log.gz",
            "audit-2024-04-01T00-00-00.000.log.gz",
            "other-2024-01-01T00-00-00.000.log",
        ]);

        var backups = RotatedLogSet.FindBackups(dir.File("audit.log"));

        Assert.Equal(2, backups.Count);
        Assert.Equal(dir.File("audit-2024-04-01T00-00-00.000.log.gz"), backups[0].Path);
        Assert.Null(backups[0].Plain);
        Assert.Equal(dir.File("audit-2024-05-01T00-00-00.000.log"), backups[1].Path);
        Assert.Equal(dir.File("audit-2024-05-01T00-00-00.000.log.gz"), backups[1].Compressed);
        Assert.Empty(RotatedLogSet.FindBackups(dir.File("missing/audit.log")));
    }

    private static string[] Create(TempFolder dir, string[] names)
    {
        var paths = names.Select(dir.File).ToArray();
        foreach (var path in paths)
        {
            File.WriteAllBytes(path, []);
        }

        return paths;
    }
}
