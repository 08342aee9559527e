using KubeAudit.Core.Compliance;
using KubeAudit.Core.Manifests;
using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Compliance;

/// <summary>
/// A node's files in a temp folder: the sample manifest with auditing enabled by the editor's
/// defaults, the recommended policy, and a log folder (0700) holding a fresh log (0600).
/// </summary>
internal sealed class ComplianceNode : IDisposable
{
    private readonly TempFolder _folder = new();

    public ComplianceNode(bool enable = true)
    {
        var sample = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "samples", "kube-apiserver.yaml"));
        var text = enable ? ApiServerManifestEditor.Enable(sample, new AuditEnableOptions(), "kube-apiserver.yaml").NewText : sample;
        File.WriteAllText(Manifest, text);
        File.WriteAllText(Policy, RecommendedPolicy.Build());
        Directory.CreateDirectory(LogFolder);
        File.WriteAllText(LogFile, "{}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(LogFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(LogFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public string Manifest => _folder.File("kube-apiserver.yaml");

    public string Policy => _folder.File("audit-policy.yaml");

    public string LogFolder => _folder.File("audit");

    public string LogFile => Path.Combine(LogFolder, "audit.log");

    public ComplianceOptions Options(bool withLog = true) => new() { ManifestPath = Manifest, PolicyPath = Policy, LogPath = withLog ? LogFolder : null };

    public void Dispose() => _folder.Dispose();
}
