using System.Text.Json;
using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Stores;

/// <summary>
/// The checkpoint file: the position after the last event of the last batch the store acknowledged. Written to a temporary
/// file, flushed to disk and renamed over the old one, so a crash leaves either the old or the new checkpoint, never half.
/// </summary>
public static class SendCheckpoint
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>The saved position, or null when there is no checkpoint yet.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint.</exception>
    public static FollowPosition? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var saved = JsonSerializer.Deserialize<Saved>(File.ReadAllBytes(path), s_json);
            return saved is { Path: not null, Version: 1 }
                ? new FollowPosition(saved.Path, saved.Device, saved.Inode, saved.Heuristic, saved.Offset, saved.Line, saved.Fingerprint)
                : throw new InvalidDataException($"'{path}' is not a KubeAudit checkpoint.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}' is not a KubeAudit checkpoint: {ex.Message}", ex);
        }
    }

    /// <summary>Replaces the checkpoint at <paramref name="path"/> with <paramref name="position"/>, atomically.</summary>
    public static void Save(string path, FollowPosition position)
    {
        var saved = new Saved
        {
            Version = 1,
            Path = position.Path,
            Device = position.Volume,
            Inode = position.Index,
            Heuristic = position.Heuristic,
            Offset = position.Offset,
            Line = position.Line,
            Fingerprint = position.Fingerprint,
            SavedAt = DateTimeOffset.UtcNow,
        };
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, saved, s_json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private sealed class Saved
    {
        public int Version { get; set; }

        public string? Path { get; set; }

        public ulong Device { get; set; }

        public ulong Inode { get; set; }

        public bool Heuristic { get; set; }

        public long Offset { get; set; }

        public long Line { get; set; }

        public byte[]? Fingerprint { get; set; }

        public DateTimeOffset SavedAt { get; set; }
    }
}
