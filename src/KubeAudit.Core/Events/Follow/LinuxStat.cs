using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// Device and inode through glibc/musl <c>statx</c>. Its struct has the same layout on every
/// architecture (unlike <c>struct stat</c>), so a byte buffer and fixed offsets are enough, without
/// unsafe code. Any failure (old libc, seccomp) turns it off for the process.
/// </summary>
internal static class LinuxStat
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;
    private const uint StatxSize = 0x200;
    private const int Eperm = 1;
    private const int Enosys = 38;

    private static bool s_unavailable;

    public static bool TryPath(string path, out FileStamp stamp, out bool missing)
    {
        missing = false;
        stamp = default;
        if (s_unavailable)
        {
            return false;
        }

        var buffer = new byte[256];
        if (!TryCall(AtFdCwd, path, 0, buffer, out var errno))
        {
            return false;
        }

        // ENOENT/ENOTDIR, but also e.g. EACCES on the folder: no file we can switch to yet.
        missing = errno != 0;
        if (!missing)
        {
            stamp = Decode(buffer);
        }

        return true;
    }

    public static bool TryHandle(SafeFileHandle handle, out FileStamp stamp)
    {
        stamp = default;
        if (s_unavailable)
        {
            return false;
        }

        var buffer = new byte[256];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            if (!TryCall(fd, string.Empty, AtEmptyPath, buffer, out var errno) || errno != 0)
            {
                return false;
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        stamp = Decode(buffer);
        return true;
    }

    private static bool TryCall(int dirfd, string path, int flags, byte[] buffer, out int errno)
    {
        errno = 0;
        try
        {
            if (Statx(dirfd, path, flags, StatxIno | StatxSize, buffer) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno is Enosys or Eperm) // no statx (seccomp, old kernel): use the fallback from now on
                {
                    s_unavailable = true;
                    return false;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return false;
        }
    }

    // struct statx: stx_ino at 32, stx_size at 40, stx_dev_major at 136, stx_dev_minor at 140.
    private static FileStamp Decode(byte[] b)
    {
        var ino = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(32));
        var size = BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(40));
        var major = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(136));
        var minor = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(140));
        if (!BitConverter.IsLittleEndian)
        {
            ino = BinaryPrimitives.ReverseEndianness(ino);
            size = BinaryPrimitives.ReverseEndianness(size);
            major = BinaryPrimitives.ReverseEndianness(major);
            minor = BinaryPrimitives.ReverseEndianness(minor);
        }

        return new FileStamp(new FileIdentity(((ulong)major << 32) | minor, ino, Heuristic: false), size);
    }

    [SuppressMessage("Globalization", "CA2101", Justification = "libc takes UTF-8 paths; the parameter is marshalled as LPUTF8Str explicitly.")]
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
