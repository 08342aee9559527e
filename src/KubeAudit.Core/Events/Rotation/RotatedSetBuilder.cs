namespace KubeAudit.Core.Events.Rotation;

/// <summary>Collects the files of one rotated set and gives them back in time order.</summary>
internal sealed class RotatedSetBuilder
{
    private readonly SortedDictionary<DateTime, RotatedBackup> _backups = [];

    public string? Active { get; set; }

    public void Add(LumberjackBackup backup, string path)
    {
        _backups.TryGetValue(backup.Timestamp, out var known);
        known ??= new RotatedBackup(backup.Timestamp, null, null);
        _backups[backup.Timestamp] = backup.Compressed ? known with { Compressed = path } : known with { Plain = path };
    }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<RotatedBackup> Backups() => [.. _backups.Values];

    /// <summary>The backups oldest first (one file each), then the active file.</summary>
    public IEnumerable<string> InOrder()
    {
        foreach (var backup in _backups.Values)
        {
            yield return backup.Path;
        }

        if (Active is not null)
        {
            yield return Active;
        }
    }
}
