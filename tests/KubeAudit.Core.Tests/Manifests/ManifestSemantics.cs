using KubeAudit.Core.Manifests;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>A manifest's meaning for comparisons: flags, volumes, mounts, and all else, independent of formatting.</summary>
internal sealed record ManifestSemantics(string Flags0, string Volumes0, string Mounts0, string Rest)
{
    public IReadOnlyList<string> Flags => Flags0.Split('\u0002', StringSplitOptions.RemoveEmptyEntries);

    // The flags Enable sets and Disable removes, as the editor knows them (the webhook's mode and batch flags included).
    public static bool IsManaged(string flagCanon) =>
        AuditFlags.Managed.Any(n => flagCanon.StartsWith("s:--" + n + "=", StringComparison.Ordinal));

    public static ManifestSemantics Of(string text, bool withoutManagedAudit)
    {
        var m = PodManifest.Parse(text, null, out var error) ?? throw new InvalidOperationException(error?.Message);
        var s = ManifestSnapshot.Of(m);
        var flags = s.Flags.Where(f => !withoutManagedAudit || !IsManaged(f));
        var ours = new System.Text.RegularExpressions.Regex("s:audit-(policy|log|webhook)(-[0-9]+)?\u0001");
        var volumes = s.Volumes.Where(v => !withoutManagedAudit || !ours.IsMatch(v));
        var mounts = s.Mounts.Where(v => !withoutManagedAudit || !ours.IsMatch(v));
        return new ManifestSemantics(string.Join('\u0002', flags), string.Join('\u0002', volumes), string.Join('\u0002', mounts), s.Rest);
    }
}
