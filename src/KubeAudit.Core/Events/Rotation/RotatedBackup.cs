namespace KubeAudit.Core.Events.Rotation;

/// <summary>
/// One backup of a rotated log, counted once even while the mill is compressing it and both
/// <c>x.log</c> and <c>x.log.gz</c> exist.
/// </summary>
/// <param name="Timestamp">The rotation time from the name.</param>
/// <param name="Plain">The uncompressed file, if present.</param>
/// <param name="Compressed">The <c>.gz</c> file, if present.</param>
public sealed record RotatedBackup(DateTime Timestamp, string? Plain, string? Compressed)
{
    /// <summary>
    /// The file to read: the uncompressed one when both exist, because the mill removes it only after
    /// the gzip succeeded, so until then the <c>.gz</c> may be incomplete.
    /// </summary>
    public string Path => Plain ?? Compressed!;
}
