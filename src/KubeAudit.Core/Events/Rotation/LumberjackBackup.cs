namespace KubeAudit.Core.Events.Rotation;

/// <summary>What a lumberjack backup file name says about the file.</summary>
/// <param name="ActiveName">Name (no folder) of the log file it was rotated from, e.g. <c>audit.log</c>.</param>
/// <param name="Timestamp">The rotation time in the name (UTC for the API server, which sets LocalTime=false).</param>
/// <param name="Compressed">The name ends with the extra <c>.gz</c> of the compression mill.</param>
public readonly record struct LumberjackBackup(string ActiveName, DateTime Timestamp, bool Compressed);
