namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// Where a followed event's line ends in the file it came from: that file's identity (device and inode; volume and index on
/// Windows) and the byte offset after its newline. Saved after a batch is acknowledged, it lets a restarted follow resume
/// right after, also once the file has been rotated away (found again among the backups by its identity).
/// </summary>
/// <param name="Path">The followed path.</param>
/// <param name="Volume">The file's device (volume serial).</param>
/// <param name="Index">The file's inode (file index).</param>
/// <param name="Heuristic">The identity is only a creation time (no inode on this system).</param>
/// <param name="Offset">Bytes of the file up to and including the event's line.</param>
/// <param name="Line">The event's line number, or 0 when reading did not start at the file's start.</param>
/// <param name="Fingerprint">The last bytes of the event's line (up to 64, its newline excluded): a file deleted and
/// recreated may get the same inode, and these bytes tell it from the file the position was taken in.</param>
public sealed record FollowPosition(string Path, ulong Volume, ulong Index, bool Heuristic, long Offset, long Line, byte[]? Fingerprint = null)
{
    /// <summary>The most bytes of a line kept as its fingerprint.</summary>
    public const int FingerprintBytes = 64;

    internal FileIdentity Identity => new(Volume, Index, Heuristic);

    /// <summary>Whether the file behind <paramref name="handle"/> still holds the fingerprint right before the offset.</summary>
    internal bool StillIn(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        if (Fingerprint is not { Length: > 0 } expected)
        {
            return true;
        }

        var start = Offset - 1 - expected.Length;
        if (start < 0)
        {
            return false;
        }

        var actual = new byte[expected.Length];
        try
        {
            return RandomAccess.Read(handle, actual, start) == actual.Length && actual.AsSpan().SequenceEqual(expected);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
