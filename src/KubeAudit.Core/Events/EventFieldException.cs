namespace KubeAudit.Core.Events;

/// <summary>Thrown inside the parser when a field has the wrong JSON type; caught per line.</summary>
internal sealed class EventFieldException(string path, string expected, long bytePosition)
    : Exception($"'{path}' must be {expected}.")
{
    public string Path { get; } = path;

    public long BytePosition { get; } = bytePosition;
}
