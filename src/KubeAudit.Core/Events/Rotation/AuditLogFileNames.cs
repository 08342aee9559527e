namespace KubeAudit.Core.Events.Rotation;

/// <summary>Which file names in a folder are taken for audit logs.</summary>
public static class AuditLogFileNames
{
    private static readonly string[] s_extensions = [".log", ".gz", ".json", ".jsonl"];

    /// <summary>
    /// <c>*.log</c>, <c>*.log.gz</c>, <c>*.gz</c>, <c>*.json</c>, <c>*.jsonl</c> (any case), and lumberjack
    /// backups of an extensionless log (<c>audit-2024-05-01T12-30-45.123</c>).
    /// </summary>
    public static bool IsAuditLog(string fileName)
    {
        foreach (var ext in s_extensions)
        {
            if (fileName.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var backup in LumberjackNames.Interpret(fileName))
        {
            if (LumberjackNames.Split(backup.ActiveName).Ext.Length == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Path comparison as the file system of this OS usually does it.</summary>
    internal static StringComparer PathComparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
}
