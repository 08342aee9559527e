using System.Globalization;
using KubeAudit.Core.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// Notices logrotate's copytruncate by content, not by size alone, and finds the copy it made. It keeps
/// the last bytes read before the follower's offset (a fingerprint): when the file no longer holds them
/// there, it was truncated, even if the writer has since filled it past the offset again. The copy is the
/// file beside it that does hold them there; what it has after the offset was written just before the
/// truncation and is read from it.
/// </summary>
internal sealed class CopyTruncateGuard(string path)
{
    private const int FingerprintBytes = 1024;
    private const int MaxCandidates = 8;
    private const long MaxRecoveredBytes = 256L * 1024 * 1024;

    private readonly byte[] _seen = new byte[FingerprintBytes];
    private readonly byte[] _check = new byte[FingerprintBytes];
    private int _seenLength;

    /// <summary>Takes the fingerprint from the file itself (reading starts at <paramref name="offset"/>, not at 0).</summary>
    public void Load(SafeFileHandle handle, long offset)
    {
        _seenLength = offset <= 0 ? 0 : RandomAccess.Read(handle, _seen.AsSpan(0, (int)Math.Min(offset, FingerprintBytes)), offset - Math.Min(offset, FingerprintBytes));
    }

    public void Reset() => _seenLength = 0;

    /// <summary>Adds bytes just read (they end at the new offset).</summary>
    public void Saw(ReadOnlySpan<byte> read)
    {
        if (read.Length >= FingerprintBytes)
        {
            read[^FingerprintBytes..].CopyTo(_seen);
            _seenLength = FingerprintBytes;
            return;
        }

        var keep = Math.Min(_seenLength, FingerprintBytes - read.Length);
        _seen.AsSpan(_seenLength - keep, keep).CopyTo(_seen);
        read.CopyTo(_seen.AsSpan(keep));
        _seenLength = keep + read.Length;
    }

    /// <summary>True while the bytes before <paramref name="offset"/> are still the ones read there.</summary>
    public bool StillHolds(SafeFileHandle handle, long offset) => _seenLength == 0 || Holds(handle, offset);

    /// <summary>The copy beside the file that holds the same bytes before <paramref name="offset"/>; null when none does.</summary>
    public string? FindCopy(long offset)
    {
        if (_seenLength == 0 || Path.GetDirectoryName(Path.GetFullPath(path)) is not { } folder)
        {
            return null;
        }

        var own = Path.GetFileName(path);
        var stem = Path.GetFileNameWithoutExtension(path);
        IEnumerable<FileInfo> candidates;
        try
        {
            candidates = new DirectoryInfo(folder).EnumerateFiles(stem + "*")
                .Where(f => f.Name != own && !f.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) && f.Length >= offset)
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .Take(MaxCandidates)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var candidate in candidates)
        {
            try
            {
                using var handle = File.OpenHandle(candidate.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (Holds(handle, offset))
                {
                    return candidate.FullName;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone or unreadable: not the copy we can use.
            }
        }

        return null;
    }

    /// <summary>The lines of <paramref name="copy"/> from <paramref name="from"/> to its end (a last line without '\n' included: the copy is complete).</summary>
    public static List<byte[]> ReadLines(string copy, long from)
    {
        using var stream = new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = Math.Min(stream.Length - from, MaxRecoveredBytes);
        if (length <= 0)
        {
            return [];
        }

        var bytes = new byte[length];
        stream.Position = from;
        stream.ReadExactly(bytes);
        var lines = new List<byte[]>();
        var span = bytes.AsSpan();
        while (!span.IsEmpty)
        {
            var newline = span.IndexOf((byte)'\n');
            lines.Add((newline < 0 ? span : span[..newline]).ToArray());
            span = newline < 0 ? default : span[(newline + 1)..];
        }

        return lines;
    }

    /// <summary>The warning when no copy holds what was written between our offset and the truncation.</summary>
    public Diagnostic Missing(long offset, int partial, long line)
    {
        var at = offset.ToString(CultureInfo.InvariantCulture);
        var dropped = partial > 0 ? $" The {partial.ToString(CultureInfo.InvariantCulture)} bytes of an unfinished line before it were dropped." : string.Empty;
        return new Diagnostic(
            DiagnosticCodes.FollowDataMissing,
            DiagnosticSeverity.Warning,
            $"The file was truncated in place (copy-truncate) after byte {at} had been read, and no copy beside it holds the same first {at} bytes: " +
            $"whatever was written after byte {at} and before the truncation (an unknown number of bytes) may be missing.{dropped} Reading goes on from the start of the file.",
            path,
            line);
    }

    private bool Holds(SafeFileHandle handle, long offset)
    {
        if (offset < _seenLength)
        {
            return false;
        }

        var check = _check.AsSpan(0, _seenLength);
        var read = RandomAccess.Read(handle, check, offset - _seenLength);
        return read == _seenLength && check.SequenceEqual(_seen.AsSpan(0, _seenLength));
    }
}
