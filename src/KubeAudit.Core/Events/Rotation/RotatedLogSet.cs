namespace KubeAudit.Core.Events.Rotation;

/// <summary>
/// Puts the files of lumberjack-rotated logs in time order: for <c>audit.log</c>, its backups
/// <c>audit-&lt;ts&gt;.log[.gz]</c> in the same folder oldest first by the time in the name (not the
/// mtime, which compression and copying change), then <c>audit.log</c> itself.
/// </summary>
public static class RotatedLogSet
{
    /// <summary>
    /// Orders <paramref name="paths"/> (e.g. a wildcard result). Each rotated set is emitted whole, in
    /// time order, where its first member was; files of no set keep their place. A backup present both
    /// as <c>.log</c> and <c>.log.gz</c> is given once, as the <c>.log</c>. Repeated paths are dropped.
    /// Only names are looked at; the paths are returned as given.
    /// </summary>
    public static IReadOnlyList<string> Order(IEnumerable<string> paths)
    {
        var comparer = AuditLogFileNames.PathComparer;
        var files = new List<(string Path, string Dir, string Name)>();
        var seen = new HashSet<string>(comparer);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (seen.Add(full))
            {
                files.Add((path, Path.GetDirectoryName(full) ?? string.Empty, Path.GetFileName(full)));
            }
        }

        // Which set each backup belongs to, preferring a reading whose active file was given.
        var sets = new Dictionary<string, RotatedSetBuilder>(comparer);
        var setOf = new string?[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            var (_, dir, name) = files[i];
            var readings = LumberjackNames.Interpret(name);
            if (readings.Count == 0)
            {
                continue;
            }

            var backup = readings.FirstOrDefault(r => seen.Contains(Path.Combine(dir, r.ActiveName)), readings[0]);
            var key = Path.Combine(dir, backup.ActiveName);
            if (!sets.TryGetValue(key, out var set))
            {
                sets[key] = set = new RotatedSetBuilder();
            }

            set.Add(backup, files[i].Path);
            setOf[i] = key;
        }

        for (var i = 0; i < files.Count; i++)
        {
            var key = Path.Combine(files[i].Dir, files[i].Name);
            if (setOf[i] is null && sets.TryGetValue(key, out var set))
            {
                set.Active = files[i].Path;
                setOf[i] = key;
            }
        }

        var result = new List<string>(files.Count);
        var emitted = new HashSet<string>(comparer);
        for (var i = 0; i < files.Count; i++)
        {
            if (setOf[i] is not { } key)
            {
                result.Add(files[i].Path);
            }
            else if (emitted.Add(key))
            {
                result.AddRange(sets[key].InOrder());
            }
        }

        return result;
    }

    /// <summary>
    /// The audit logs directly in <paramref name="folder"/> (see <see cref="AuditLogFileNames.IsAuditLog"/>),
    /// by name, with each rotated set in time order.
    /// </summary>
    public static IReadOnlyList<string> ExpandFolder(string folder)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(p => AuditLogFileNames.IsAuditLog(Path.GetFileName(p)))
            .ToList();

        // An extensionless active file (`audit`) counts when it has lumberjack backups here.
        var names = new HashSet<string>(files.Select(Path.GetFileName)!, AuditLogFileNames.PathComparer);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            if (!names.Contains(name) && LumberjackNames.Split(name).Ext.Length == 0
                && names.Any(n => LumberjackNames.TryParse(n, name, out _)))
            {
                files.Add(path);
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(Path.GetFileName(a), Path.GetFileName(b)));
        return Order(files);
    }

    /// <summary>
    /// The backups of <paramref name="activePath"/> now in its folder, oldest first, one per timestamp.
    /// Empty when the folder does not exist.
    /// </summary>
    public static IReadOnlyList<RotatedBackup> FindBackups(string activePath)
    {
        var full = Path.GetFullPath(activePath);
        var dir = Path.GetDirectoryName(full) ?? ".";
        var active = Path.GetFileName(full);
        var set = new RotatedSetBuilder();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.GetFiles(dir);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }

        foreach (var path in entries)
        {
            if (LumberjackNames.TryParse(Path.GetFileName(path), active, out var backup))
            {
                set.Add(backup, path);
            }
        }

        return set.Backups();
    }
}
