using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// Reads the audit configuration of a kube-apiserver static Pod manifest and finds what would stop
/// it working: unmounted paths, a mounted log file, a missing or invalid policy, values the server
/// rejects, a backend without a policy, duplicate flags.
/// </summary>
public static class ApiServerManifestReader
{
    /// <summary>The kubeadm location.</summary>
    public const string DefaultManifestPath = "/etc/kubernetes/manifests/kube-apiserver.yaml";

    /// <summary>Reads the manifest file and checks the policy file on this host.</summary>
    /// <param name="path">The manifest.</param>
    /// <param name="hostRoot">Prefix for host paths when checking files (tests, or a node's root mounted elsewhere); null is <c>/</c>.</param>
    public static ApiServerAuditConfig Read(string path, string? hostRoot = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!ManifestFile.TryRead(path, out var text, out var error))
        {
            return new ApiServerAuditConfig { ManifestPath = path, Problems = [Problem(error!, null, null)] };
        }

        return ReadText(text, path, checkHostFiles: true, hostRoot);
    }

    /// <summary>Reads manifest text; host files are checked only when <paramref name="checkHostFiles"/>.</summary>
    public static ApiServerAuditConfig ReadText(string text, string? file = null, bool checkHostFiles = false, string? hostRoot = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = PodManifest.Parse(text, file, out var parseError);
        if (m is null)
        {
            return new ApiServerAuditConfig { ManifestPath = file, Problems = [Problem(parseError!, null, null)] };
        }

        var problems = new List<ManifestProblem>();
        var flags = m.Flags.Where(f => AuditFlags.IsAudit(f.Name)).Select(f => new ApiServerFlag
        {
            Name = f.Name, Value = f.Value, Index = f.Index, Line = f.Node.Start.Line, Column = f.Node.Start.Column,
        }).ToList();
        var last = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var flag in flags)
        {
            last[flag.Name] = flag.Value;
        }

        string? Last(string name) => last.TryGetValue(name, out var v) ? v : null;
        ApiServerFlag? FlagOf(string name) => flags.LastOrDefault(f => f.Name == name);
        void Add(string code, string severity, string message, string? hint, string? flag)
        {
            var at = flag is null ? null : FlagOf(flag);
            problems.Add(new ManifestProblem
            {
                Code = code, Severity = severity, Message = message, Hint = hint, Flag = flag, File = file, Line = at?.Line ?? 0, Column = at?.Column ?? 0,
            });
        }

        foreach (var group in m.Flags.GroupBy(f => f.Name).Where(g => g.Count() > 1))
        {
            var lastOne = group.Last();
            problems.Add(new ManifestProblem
            {
                Code = DiagnosticCodes.DuplicateFlag, Severity = "Warning", Flag = group.Key, File = file, Line = lastOne.Node.Start.Line, Column = lastOne.Node.Start.Column,
                Message = $"--{group.Key} is given {group.Count()} times; kube-apiserver uses the last ({lastOne.Value}).",
                Hint = $"Keep one --{group.Key}.",
            });
        }

        foreach (var unknown in flags.Where(f => !AuditFlags.Known.ContainsKey(f.Name)).Select(f => f.Name).Distinct())
        {
            Add(DiagnosticCodes.UnknownAuditFlag, "Error", $"unknown flag: --{unknown}; kube-apiserver refuses to start.", $"Remove --{unknown}.", unknown);
        }

        foreach (var (flag, message) in AuditFlagValidator.Validate(last))
        {
            Add(DiagnosticCodes.InvalidAuditFlag, "Error", message + " (kube-apiserver refuses to start)", $"Fix or remove --{flag}.", flag);
        }

        var policy = Last(AuditFlags.PolicyFile);
        if (string.IsNullOrEmpty(policy) && (!string.IsNullOrEmpty(Last(AuditFlags.LogPath)) || !string.IsNullOrEmpty(Last(AuditFlags.WebhookConfigFile))))
        {
            var backend = !string.IsNullOrEmpty(Last(AuditFlags.LogPath)) ? AuditFlags.LogPath : AuditFlags.WebhookConfigFile;
            Add(DiagnosticCodes.AuditPolicyNotSet, "Error", $"--{backend} is set without --audit-policy-file: no audit events are recorded.",
                "Add --audit-policy-file=/etc/kubernetes/audit-policy.yaml and mount it (the manifest editor's Enable does both).", backend);
        }

        var volumes = ManifestVolumes.Volumes(m);
        var mounts = ManifestVolumes.Mounts(m);
        var mountModels = mounts.Select(x => new ManifestVolumeMount { Name = x.Name, MountPath = x.MountPath, ReadOnly = x.ReadOnly, Line = x.Node.Start.Line }).ToList();
        var pathMounts = new List<AuditPathMount>();
        foreach (var flag in AuditFlags.PathFlags)
        {
            var value = Last(flag);
            if (string.IsNullOrEmpty(value) || value == "-")
            {
                continue;
            }

            var isLog = flag == AuditFlags.LogPath;
            var fileMount = isLog ? mounts.FirstOrDefault(x => ManifestVolumes.Normalize(x.MountPath) == ManifestVolumes.Normalize(value)) : null;
            // The log needs its folder: lumberjack creates the file and renames it there.
            var serving = ManifestVolumes.Serving(mounts, isLog ? ManifestVolumes.Folder(value) : value) ?? fileMount;
            var volume = serving is null ? null : volumes.FirstOrDefault(v => v.Name == serving.Name);
            var hostPath = serving is null || volume?.HostPath is null ? null
                : ManifestVolumes.Normalize(volume.HostPath) + ManifestVolumes.Normalize(value)[ManifestVolumes.Normalize(serving.MountPath).Length..];
            pathMounts.Add(new AuditPathMount { Flag = flag, Path = value, Mount = serving is null ? null : mountModels[serving.Index], HostPath = hostPath });

            if (fileMount is not null)
            {
                var folder = ManifestVolumes.Folder(value);
                Add(DiagnosticCodes.AuditLogFileMounted, "Error",
                    $"volumeMount {fileMount.Name} mounts the audit log file {value} itself: rotation renames the file inside its folder and fails, and the log stops growing or is lost.",
                    $"Mount the folder {folder} instead (hostPath type DirectoryOrCreate, readOnly false) and remove the file mount (Enable with Force does this).", flag);
            }
            else if (serving is null)
            {
                var what = isLog ? "folder " + ManifestVolumes.Folder(value) : "file " + value;
                Add(DiagnosticCodes.AuditFlagNotMounted, "Error",
                    $"--{flag}={value}: no volumeMount serves the {what}; kube-apiserver {(isLog ? "writes the log inside the container, where it is lost" : "cannot read it and fails to start")}.",
                    isLog ? $"Add a hostPath volume for {ManifestVolumes.Folder(value)} (type DirectoryOrCreate) and mount it read-write."
                          : $"Add a hostPath volume for {value} (type File) and mount it read-only.", flag);
            }
            else if (isLog && serving.ReadOnly)
            {
                Add(DiagnosticCodes.AuditFlagNotMounted, "Error", $"--{flag}={value}: volumeMount {serving.Name} is read-only; the log cannot be written.",
                    $"Set readOnly: false on volumeMount {serving.Name}.", flag);
            }

            if (flag == AuditFlags.PolicyFile && checkHostFiles && hostPath is not null)
            {
                CheckPolicyOnHost(hostPath, hostRoot, Add);
            }
        }

        return new ApiServerAuditConfig
        {
            ManifestPath = file,
            ContainerName = m.ContainerName,
            FlagLocation = m.FlagKey,
            Flags = flags,
            PolicyFile = policy,
            LogPath = Last(AuditFlags.LogPath),
            LogMaxAge = Last(AuditFlags.LogMaxAge),
            LogMaxBackup = Last(AuditFlags.LogMaxBackup),
            LogMaxSize = Last(AuditFlags.LogMaxSize),
            LogFormat = Last(AuditFlags.LogFormat),
            LogCompress = Last(AuditFlags.LogCompress),
            LogMode = Last(AuditFlags.LogMode),
            LogVersion = Last(AuditFlags.LogVersion),
            WebhookConfigFile = Last(AuditFlags.WebhookConfigFile),
            WebhookMode = Last(AuditFlags.WebhookMode),
            WebhookBatchBufferSize = Last(AuditFlags.WebhookBatchBufferSize),
            WebhookBatchMaxSize = Last(AuditFlags.WebhookBatchMaxSize),
            WebhookBatchMaxWait = Last(AuditFlags.WebhookBatchMaxWait),
            WebhookBatchThrottleEnable = Last(AuditFlags.WebhookBatchThrottleEnable),
            WebhookBatchThrottleQps = Last(AuditFlags.WebhookBatchThrottleQps),
            WebhookBatchThrottleBurst = Last(AuditFlags.WebhookBatchThrottleBurst),
            WebhookInitialBackoff = Last(AuditFlags.WebhookInitialBackoff),
            Volumes = volumes.Select(v => new ManifestVolume { Name = v.Name, HostPath = v.HostPath, Type = v.Type, Line = v.Node.Start.Line }).ToList(),
            Mounts = mountModels,
            PathMounts = pathMounts,
            Problems = problems.OrderBy(p => p.Severity == "Error" ? 0 : 1).ThenBy(p => p.Line).ToList(),
        };
    }

    private static void CheckPolicyOnHost(string hostPath, string? hostRoot, Action<string, string, string, string?, string?> add)
    {
        var onDisk = hostRoot is null ? hostPath : Path.Combine(hostRoot, hostPath.TrimStart('/'));
        if (!File.Exists(onDisk))
        {
            add(DiagnosticCodes.AuditPolicyMissing, "Error", $"The policy file {hostPath} does not exist on the host; kube-apiserver fails to start.",
                "Write a policy there (ManifestWriter.WritePolicy) or fix --audit-policy-file.", AuditFlags.PolicyFile);
            return;
        }

        var check = PolicyChecker.Check(onDisk);
        if (!check.IsValid)
        {
            var errors = string.Join("; ", check.Findings.Where(f => f.Severity == "Error").Take(3).Select(f => $"line {f.Line}: {f.Message}"));
            add(DiagnosticCodes.InvalidAuditPolicy, "Error", $"The policy file {hostPath} is not valid: {errors}",
                "Fix the errors the API server reports for this policy.", AuditFlags.PolicyFile);
        }
    }

    private static ManifestProblem Problem(Diagnostic d, string? hint, string? flag) => new()
    {
        Code = d.Code, Severity = d.Severity.ToString(), Message = d.Message, Hint = hint, Flag = flag, File = d.File, Line = d.Line, Column = d.Column,
    };
}
