using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// Volume serial and file index through <c>GetFileInformationByHandle</c>. Creation time is no
/// identity on Windows: file-system tunneling gives a file created under a just-renamed name the old
/// creation time, which is exactly what rotation does.
/// </summary>
internal static class WindowsFileInfo
{
    public static bool TryHandle(SafeFileHandle handle, out FileStamp stamp)
    {
        stamp = default;

        // BY_HANDLE_FILE_INFORMATION as 13 DWORDs: [7] volume serial, [8..9] size high/low,
        // [11..12] file index high/low.
        var info = new uint[13];
        try
        {
            if (!GetFileInformationByHandle(handle, info))
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }

        var index = ((ulong)info[11] << 32) | info[12];
        var length = (long)(((ulong)info[8] << 32) | info[9]);
        stamp = new FileStamp(new FileIdentity(info[7], index, Heuristic: false), length);
        return true;
    }

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool GetFileInformationByHandle(SafeFileHandle handle, [Out] uint[] info);
}
