namespace KubeAudit.Core.Events.Follow;

/// <summary>
/// Which file a path or an open handle is: device and inode on Linux, volume serial and file index
/// on Windows. Elsewhere (or when the native call fails) only the creation time, marked
/// <see cref="Heuristic"/>, which a new file created right after a rename may share.
/// </summary>
internal readonly record struct FileIdentity(ulong Volume, ulong Index, bool Heuristic);

/// <summary>A file's identity and length as seen at one moment.</summary>
internal readonly record struct FileStamp(FileIdentity Identity, long Length);
