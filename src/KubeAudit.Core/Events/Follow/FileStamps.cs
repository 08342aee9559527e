using Microsoft.Win32.SafeHandles;

namespace KubeAudit.Core.Events.Follow;

/// <summary>Reads <see cref="FileStamp"/>s through the best means this OS offers.</summary>
internal static class FileStamps
{
    /// <summary>The stamp of the file at <paramref name="path"/> now, or null when there is none.</summary>
    public static FileStamp? OfPath(string path)
    {
        if (OperatingSystem.IsLinux() && LinuxStat.TryPath(path, out var linux, out var missing))
        {
            return missing ? null : linux;
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return OfHandle(handle);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone, or not ours to open: either way there is no file to switch to yet.
            return null;
        }
    }

    /// <summary>The stamp of the file behind an open handle (it may have been renamed or deleted since).</summary>
    public static FileStamp OfHandle(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux() && LinuxStat.TryHandle(handle, out var linux))
        {
            return linux;
        }

        if (OperatingSystem.IsWindows() && WindowsFileInfo.TryHandle(handle, out var windows))
        {
            return windows;
        }

        var created = File.GetCreationTimeUtc(handle).Ticks;
        return new FileStamp(new FileIdentity(0, (ulong)created, Heuristic: true), RandomAccess.GetLength(handle));
    }
}
