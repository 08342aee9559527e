namespace KubeAudit.Core.Compliance;

/// <summary>The log files on this machine: not accessible to other users, and written recently.</summary>
internal static class LogFileChecks
{
    private const UnixFileMode OthersAccess = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static IEnumerable<ComplianceCheck> Evaluate(ComplianceContext context)
    {
        yield return Permissions(context);
        yield return Recent(context);
    }

    private static ComplianceCheck Permissions(ComplianceContext context)
    {
        const string name = CheckNames.LogFilePermissions;
        var o = context.Options;
        if (context.LogFolder is not { } folder)
        {
            return CheckFactory.Make(o, name, CheckFactory.Skipped, $"No log folder to inspect: {context.LogSource}.");
        }

        if (OperatingSystem.IsWindows())
        {
            return CheckFactory.Make(o, name, CheckFactory.Skipped, "File modes are checked on Linux and macOS only; audit logs live on Linux nodes.");
        }

        if (!Directory.Exists(folder))
        {
            return context.LogGiven
                ? CheckFactory.Make(o, name, CheckFactory.Failed, $"The log folder {folder} does not exist ({context.LogSource}).")
                : CheckFactory.Make(o, name, CheckFactory.Skipped,
                    $"The log folder does not exist on this machine: {context.LogSource}. Run on the node, or give the log folder's path here.");
        }

        var open = new List<string>();
        var folderMode = File.GetUnixFileMode(folder);
        if ((folderMode & OthersAccess) != 0)
        {
            open.Add($"folder {folder} is {Octal(folderMode)} (fix: chmod 0700 {folder})");
        }

        string[] files;
        try
        {
            files = context.LogFile is { } one ? [one] : AuditFiles(context, folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CheckFactory.Make(o, name, open.Count > 0 ? CheckFactory.Failed : CheckFactory.Skipped,
                $"{(open.Count > 0 ? open[0] + "; " : $"folder {folder} is {Octal(folderMode)}; ")}its files could not be listed: {ex.Message}");
        }

        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var mode = File.GetUnixFileMode(file);
            if ((mode & OthersAccess) != 0)
            {
                open.Add($"{Path.GetFileName(file)} is {Octal(mode)} (fix: chmod o-rwx)");
            }
        }

        return open.Count == 0
            ? CheckFactory.Make(o, name, CheckFactory.Passed, $"Folder {folder} is {Octal(folderMode)} and its {files.Length} file(s) give other users no access ({context.LogSource}).")
            : CheckFactory.Make(o, name, CheckFactory.Failed, $"Other users have access: {string.Join("; ", open)}.");
    }

    private static ComplianceCheck Recent(ComplianceContext context)
    {
        const string name = CheckNames.LogRecentlyWritten;
        var o = context.Options;
        if (!context.LogGiven)
        {
            return CheckFactory.Make(o, name, CheckFactory.Skipped, "Optional: give the audit log path to check that events are being written.");
        }

        var file = context.LogFile ?? ActiveFile(context);
        if (file is null)
        {
            return CheckFactory.Make(o, name, CheckFactory.Failed, $"No audit log file in {context.LogFolder} ({context.LogSource}).");
        }

        var written = new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero);
        var age = (o.Now ?? DateTimeOffset.UtcNow) - written;
        var when = $"{file} was last written {Age(age)} ago, at {written:yyyy-MM-dd HH:mm:ss}Z";
        return age <= o.MaximumLogIdle
            ? CheckFactory.Make(o, name, CheckFactory.Passed, $"{when}.")
            : CheckFactory.Make(o, name, CheckFactory.Failed, $"{when}: more than {CheckFactory.FormatSpan(o.MaximumLogIdle)} ago, so events may not be reaching the log.");
    }

    private static string[] AuditFiles(ComplianceContext context, string folder)
    {
        // The log may share a folder (/var/log): judge the audit log and its rotated copies
        // (audit.log, audit-2026-01-02T03-04-05.678.log[.gz]), not the folder's other files.
        var name = context.Config?.LogPath is { Length: > 1 } logPath ? Path.GetFileName(logPath) : null;
        var all = Directory.GetFiles(folder);
        if (name is null)
        {
            return all;
        }

        var stem = Path.GetFileNameWithoutExtension(name);
        return [.. all.Where(f => Path.GetFileName(f) is var n && (n == name || n.StartsWith(stem + "-", StringComparison.Ordinal)))];
    }

    private static string? ActiveFile(ComplianceContext context)
    {
        var folder = context.LogFolder!;
        if (!Directory.Exists(folder))
        {
            return null;
        }

        // The active file has the name --audit-log-path gives; rotated ones carry a timestamp.
        var named = context.Config?.LogPath is { Length: > 1 } logPath ? Path.Combine(folder, Path.GetFileName(logPath)) : null;
        if (named is not null && File.Exists(named))
        {
            return named;
        }

        return new DirectoryInfo(folder).GetFiles().OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()?.FullName;
    }

    private static string Age(TimeSpan age) =>
        age.TotalDays >= 2 ? $"{(int)age.TotalDays} days"
        : age.TotalHours >= 2 ? $"{(int)age.TotalHours} hours"
        : age.TotalMinutes >= 2 ? $"{(int)age.TotalMinutes} minutes"
        : $"{Math.Max(0, (int)age.TotalSeconds)} seconds";

    private static string Octal(UnixFileMode mode) => "mode 0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
