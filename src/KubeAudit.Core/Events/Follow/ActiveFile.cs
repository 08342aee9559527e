using KubeAudit.Core.Events.Rotation;
using Microsoft.Win32.SafeHandles;

namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// One generation of the followed path, held open: renames and deletes do not affect the handle,
/// so the end of a rotated-away file can still be read.
/// </summary>
internal sealed class ActiveFile : IDisposable
{
    private ActiveFile(SafeFileHandle handle, FileStamp stamp, IReadOnlyList<RotatedBackup> backups)
    {
        Handle = handle;
        Identity = stamp.Identity;
        OpenLength = stamp.Length;
        Backups = backups;
    }

    public SafeFileHandle Handle { get; }

    public FileIdentity Identity { get; }

    /// <summary>The length when it was opened.</summary>
    public long OpenLength { get; }

    /// <summary>The lumberjack backups that existed when it was opened: all older than this file.</summary>
    public IReadOnlyList<RotatedBackup> Backups { get; }

    /// <summary>Where the next read starts.</summary>
    public long Offset { get; set; }

    /// <summary>Lines taken so far (counted from where reading started).</summary>
    public long Line { get; set; }

    /// <summary>Reading started at offset 0, so <see cref="Line"/> is the real line number.</summary>
    public bool LineKnown { get; set; }

    /// <summary>The next line is the first of the file (a BOM may precede it).</summary>
    public bool AtStart { get; set; }

    /// <summary>
    /// Opens <paramref name="path"/>, or returns null when it does not exist (<paramref name="error"/>
    /// says why when it exists but cannot be opened). <paramref name="first"/> is the backup list
    /// taken just before: backups not in it were made during this call.
    /// </summary>
    /// <remarks>
    /// The backups recorded must be exactly those older than the opened file. They are listed after
    /// opening, and the path is checked to still be the opened file afterwards: then no rotation of it
    /// (or later) can be in the list. Without file identities, the check is that no backup appeared
    /// during the open. When the writer rotates faster than this takes, after a few tries the list is
    /// cut at the opened file's own backup if it can be found; failing that it is taken as it is.
    /// </remarks>
    public static ActiveFile? TryOpen(string path, out Exception? error, out IReadOnlyList<RotatedBackup> first)
    {
        const int Attempts = 5;
        error = null;
        first = [];
        for (var attempt = 0; ; attempt++)
        {
            var before = RotatedLogSet.FindBackups(path);
            if (attempt == 0)
            {
                first = before;
            }

            SafeFileHandle handle;
            try
            {
                handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = ex;
                return null;
            }

            var stamp = FileStamps.OfHandle(handle);
            var after = RotatedLogSet.FindBackups(path);
            var known = before.Select(b => b.Timestamp).ToHashSet();
            var stable = stamp.Identity.Heuristic
                ? after.All(b => known.Contains(b.Timestamp))
                : FileStamps.OfPath(path)?.Identity == stamp.Identity;
            if (stable)
            {
                return new ActiveFile(handle, stamp, after);
            }

            if (attempt == Attempts - 1)
            {
                return new ActiveFile(handle, stamp, CutAtSelf(after, known, stamp.Identity));
            }

            handle.Dispose();
        }
    }

    // The opened file is already a backup: it and later ones are not older than itself.
    private static IReadOnlyList<RotatedBackup> CutAtSelf(IReadOnlyList<RotatedBackup> backups, HashSet<DateTime> known, FileIdentity self)
    {
        var own = backups.FirstOrDefault(b => !known.Contains(b.Timestamp) && b.Plain is not null
            && FileStamps.OfPath(b.Plain)?.Identity == self);
        return own is null || self.Heuristic ? backups : backups.Where(b => b.Timestamp < own.Timestamp).ToList();
    }

    public void Dispose() => Handle.Dispose();
}
