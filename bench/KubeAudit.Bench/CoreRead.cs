using KubeAudit.Core.Events;

namespace KubeAudit.Bench;

/// <summary>The core reader alone (no PowerShell): every event built, then counted by verb.</summary>
internal static class CoreRead
{
    public static long CountVerb(string path, string verb)
    {
        using var reader = JsonLinesReader.OpenFile(path);
        return reader.ReadRecords().Count(r => r.Event?.Verb == verb);
    }
}
