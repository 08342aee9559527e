using System.Collections.Concurrent;
using System.IO.Compression;
using KubeAudit.Core.Events.Rotation;

namespace KubeAudit.Core.Tests.Events.Follow;

/// <summary>
/// Writes like the API server's lumberjack logger: appends lines; when the next line would pass
/// MaxBytes, closes the file, renames it to <c>prefix-&lt;UTC ts&gt;ext</c> and creates a new one; with
/// Compress, a background mill gzips each backup to its <c>.gz</c> name and then removes it.
/// </summary>
internal sealed class LumberjackWriter : IDisposable
{
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _bufferSize;
    private readonly BlockingCollection<string>? _mill;
    private readonly Task? _millTask;
    private FileStream _stream;
    private DateTime _lastRotation;
    private long _size;

    public LumberjackWriter(string path, long maxBytes = long.MaxValue, bool compress = false, int bufferSize = 1)
    {
        _path = path;
        _maxBytes = maxBytes;
        _bufferSize = bufferSize;
        _stream = Open();
        if (compress)
        {
            _mill = [];
            _millTask = Task.Factory.StartNew(Mill, TaskCreationOptions.LongRunning);
        }
    }

    public int Rotations { get; private set; }

    public void Write(byte[] line)
    {
        if (_size + line.Length > _maxBytes)
        {
            Rotate();
        }

        _stream.Write(line);
        _size += line.Length;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Dispose();
        _mill?.CompleteAdding();
        _millTask?.Wait(TimeSpan.FromSeconds(5));
    }

    private FileStream Open()
    {
        var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, _bufferSize);
        _size = stream.Length;
        return stream;
    }

    private void Rotate()
    {
        _stream.Dispose();

        // Names have millisecond resolution: keep them distinct and increasing, as a real clock would.
        var now = DateTime.UtcNow;
        _lastRotation = now > _lastRotation.AddMilliseconds(1) ? now : _lastRotation.AddMilliseconds(1);
        var backup = Path.Combine(Path.GetDirectoryName(_path)!, LumberjackNames.BackupName(Path.GetFileName(_path), _lastRotation));
        File.Move(_path, backup);
        _stream = Open();
        Rotations++;
        _mill?.Add(backup);
    }

    // Like lumberjack's compressLogFile: write the .gz under its final name, then remove the source.
    private void Mill()
    {
        foreach (var backup in _mill!.GetConsumingEnumerable())
        {
            using (var source = File.OpenRead(backup))
            using (var target = new GZipStream(File.Create(backup + ".gz"), CompressionLevel.Fastest))
            {
                source.CopyTo(target);
            }

            File.Delete(backup);
        }
    }
}
