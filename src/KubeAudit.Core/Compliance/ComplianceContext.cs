using KubeAudit.Core.Manifests;
using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Compliance;

/// <summary>
/// What every check reads, loaded once and never thrown out of: the manifest's audit configuration,
/// the policy file on this machine and where the logs are. A missing or unreadable input is kept as
/// a reason, so the checks it affects fail or skip with that reason instead of stopping the run.
/// </summary>
internal sealed class ComplianceContext
{
    private ComplianceContext(ComplianceOptions options) => Options = options;

    public ComplianceOptions Options { get; }

    /// <summary>The manifest's audit configuration; null when it could not be read.</summary>
    public ApiServerAuditConfig? Config { get; private set; }

    /// <summary>Why the manifest could not be read.</summary>
    public string? ManifestError { get; private set; }

    /// <summary>The policy file on this machine; null when neither given nor named by the manifest.</summary>
    public string? PolicyPath { get; private set; }

    /// <summary>How <see cref="PolicyPath"/> was found, for evidence.</summary>
    public string PolicySource { get; private set; } = string.Empty;

    /// <summary>The policy checked as kube-apiserver would; null when there is no file to read.</summary>
    public PolicyCheckResult? PolicyCheck { get; private set; }

    /// <summary>The log folder on this machine; null when there is none to look at.</summary>
    public string? LogFolder { get; private set; }

    /// <summary>The file named as the log, when a file (not a folder) was given.</summary>
    public string? LogFile { get; private set; }

    /// <summary>How <see cref="LogFolder"/> was found, for evidence; or why there is none.</summary>
    public string LogSource { get; private set; } = string.Empty;

    /// <summary>Whether the log location was given rather than taken from the manifest.</summary>
    public bool LogGiven => Options.LogPath is not null;

    public static ComplianceContext Load(ComplianceOptions options)
    {
        var context = new ComplianceContext(options);
        context.LoadManifest();
        context.LocatePolicy();
        context.LocateLog();
        return context;
    }

    /// <summary>The manifest line of the last occurrence of a flag, as evidence text.</summary>
    public string At(string flag)
    {
        var found = Config?.Flags.LastOrDefault(f => f.Name == flag);
        return found is null ? string.Empty : $" (line {found.Line})";
    }

    public AuditPathMount? MountOf(string flag) => Config?.PathMounts.FirstOrDefault(p => p.Flag == flag);

    private void LoadManifest()
    {
        var path = Options.ManifestPath;
        if (Directory.Exists(path))
        {
            ManifestError = $"cannot read the manifest {path}: it is a folder, not a file.";
            return;
        }

        if (!File.Exists(path))
        {
            ManifestError = $"cannot read the manifest {path}: the file does not exist.";
            return;
        }

        if (!ManifestFile.TryRead(path, out var text, out var error))
        {
            ManifestError = $"cannot read the manifest {path}: {error!.Message}";
            return;
        }

        // Host files are checked by the checks themselves, against the paths given for this machine.
        var config = ApiServerManifestReader.ReadText(text, path, checkHostFiles: false);
        if (config.ContainerName is null)
        {
            ManifestError = $"cannot read the manifest {path}: {(config.Problems.Count > 0 ? config.Problems[0].Message : null) ?? "no kube-apiserver container"}";
            return;
        }

        Config = config;
    }

    private void LocatePolicy()
    {
        if (Options.PolicyPath is { } given)
        {
            PolicyPath = given;
            PolicySource = $"{given} (the policy file given)";
        }
        else if (Config?.PolicyFile is { Length: > 0 } flag)
        {
            // The flag is a path inside the container; on the node the file is at the volume's host path.
            var mount = MountOf(AuditFlags.PolicyFile);
            PolicyPath = mount?.HostPath ?? flag;
            PolicySource = mount?.HostPath is { } host && host != flag
                ? $"{host} (the node file volumeMount {mount.Mount!.Name} serves as {flag})"
                : $"{PolicyPath} (the node path --audit-policy-file names)";
        }
        else
        {
            return;
        }

        if (File.Exists(PolicyPath))
        {
            PolicyCheck = PolicyChecker.Check(PolicyPath, null, Options.Cancel);
        }
    }

    private void LocateLog()
    {
        if (Options.LogPath is { } given)
        {
            if (File.Exists(given))
            {
                LogFile = given;
                LogFolder = Path.GetDirectoryName(Path.GetFullPath(given));
            }
            else
            {
                LogFolder = given;
            }

            LogSource = $"the log path given, {given}";
            return;
        }

        if (Config is null)
        {
            LogSource = ManifestError!;
            return;
        }

        var logPath = Config.LogPath;
        if (string.IsNullOrEmpty(logPath) || logPath == "-")
        {
            LogSource = string.IsNullOrEmpty(logPath) ? "--audit-log-path is not set: there is no log file to look at" : "--audit-log-path=- writes to stdout: there is no log file to look at";
            return;
        }

        var mount = MountOf(AuditFlags.LogPath);
        if (mount?.HostPath is not { } hostFile)
        {
            LogSource = $"no volume serves --audit-log-path={logPath}, so its folder on the node is unknown";
            return;
        }

        LogFolder = ManifestVolumes.Folder(hostFile);
        LogSource = $"{LogFolder}, the node folder volumeMount {mount.Mount!.Name} serves for --audit-log-path={logPath}";
    }
}
