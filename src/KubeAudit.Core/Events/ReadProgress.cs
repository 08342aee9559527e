namespace KubeAudit.Core.Events;

/// <summary>How far a multi-file read has come; written by the reading thread, read by anyone.</summary>
public sealed class ReadProgress
{
    private long _bytesRead;
    private long _totalBytes;
    private string? _currentFile;

    /// <summary>Bytes read so far (compressed bytes for .gz files), over all files.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Total size of the files to read, as on disk.</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>The file being read.</summary>
    public string? CurrentFile => Volatile.Read(ref _currentFile);

    internal void SetTotal(long bytes) => Interlocked.Exchange(ref _totalBytes, bytes);

    internal void SetPosition(long bytes) => Interlocked.Exchange(ref _bytesRead, bytes);

    internal void AddBytes(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    internal void SetFile(string file) => Volatile.Write(ref _currentFile, file);
}
