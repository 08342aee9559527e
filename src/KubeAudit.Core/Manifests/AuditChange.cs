using System.Globalization;
using System.Text;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// A planned audit change to a kube-apiserver manifest (and, when given, a kubeadm configuration and the policy file):
/// every check the write would make is made here, so a plan that is not refused can be shown (-WhatIf) and then
/// applied by <see cref="Apply()"/>, which writes all or nothing.
/// </summary>
public sealed partial class AuditChange
{
    private AuditChange(bool enable, string manifestPath, string backupRoot, string? kubeadmPath)
    {
        IsEnable = enable;
        ManifestPath = manifestPath;
        BackupRoot = backupRoot;
        KubeadmConfigPath = kubeadmPath;
    }

    /// <summary>True for Enable, false for Disable.</summary>
    public bool IsEnable { get; }

    /// <summary>The manifest.</summary>
    public string ManifestPath { get; }

    /// <summary>The folder under which backups are made.</summary>
    public string BackupRoot { get; }

    /// <summary>The kubeadm configuration kept in step, or null.</summary>
    public string? KubeadmConfigPath { get; }

    /// <summary>The manifest edit; null when refused before it was computed.</summary>
    public ManifestEditResult? Manifest { get; private set; }

    /// <summary>The kubeadm configuration's edit, when one was given.</summary>
    public ManifestEditResult? Kubeadm { get; private set; }

    /// <summary>The policy to install (Enable only).</summary>
    public PolicyPlan? Policy { get; private set; }

    /// <summary>The audit log folder to create (0700) once every write succeeded; null when it exists or is not ours to make.</summary>
    public string? LogFolderToMake { get; private set; }

    /// <summary>Why nothing may be written; null when the plan can be applied.</summary>
    public AuditChangeRefusal? Refusal { get; private set; }

    /// <summary>True when the files already say what was asked: nothing to write.</summary>
    public bool NothingToDo { get; private set; }

    /// <summary>True when the kubeadm configuration changes.</summary>
    public bool KubeadmChanged => Kubeadm?.Changed == true;

    /// <summary>Why nothing is written, when <see cref="NothingToDo"/>.</summary>
    public string NothingToDoMessage => IsEnable
        ? $"{ManifestPath}: auditing is already configured{(Kubeadm is null ? string.Empty : " (also in " + KubeadmConfigPath + ")")} and the policy at {Policy!.File} is current; nothing was written."
        : $"{ManifestPath}: auditing is not configured{(Kubeadm is null ? string.Empty : " (nor in " + KubeadmConfigPath + ")")}; nothing was written.";

    /// <summary>Plans turning auditing on: checks host paths, edits the manifest (and kubeadm configuration) in memory, compares the policy.</summary>
    public static AuditChange Enable(AuditEnableRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.ManifestPath;
        var options = request.Options;
        var change = new AuditChange(true, path, request.BackupRoot, request.KubeadmConfigPath);
        var policyFile = HostPaths.OnDisk(request.HostRoot, options.PolicyPath);
        if ((OutsideManifestsFolder(path, policyFile) ?? LogFolderProblem(options.LogPath, request.HostRoot)) is { } misplaced)
        {
            return change.Refuse(misplaced);
        }

        if (change.Edit(ApiServerManifestEditor.EnableFile(path, options), KubeadmEdit(request.KubeadmConfigPath, p => KubeadmConfigEditor.EnableFile(p, options))) is { } refused)
        {
            return refused;
        }

        var policy = PolicyPlan.For(request.PolicyText, request.PolicySource, options.PolicyPath, policyFile, out var policyRefusal);
        if (policyRefusal is not null)
        {
            return change.Refuse(policyRefusal);
        }

        change.Policy = policy;
        if (policy!.State == PolicyState.Different && !options.Force)
        {
            return change.Refuse(new AuditChangeRefusal(AuditChangeStep.PolicyConflict,
                [new Diagnostic("AuditPolicyConflict", DiagnosticSeverity.Error, $"A different audit policy already exists at {policyFile}; nothing was written. Use -Force to replace it (the old one is backed up), "
                    + "or -PolicyPath to install that file itself.", policyFile)], policyFile));
        }

        change.LogFolderToMake = MissingLogFolder(options.LogPath, request.HostRoot);
        if (!change.Manifest!.Changed && policy.State == PolicyState.Same && !change.KubeadmChanged && policy.LooseMode is null && change.LogFolderToMake is null)
        {
            change.NothingToDo = true;
            return change;
        }

        if ((change.Manifest.Changed || change.KubeadmChanged || policy.State == PolicyState.Different) && change.CheckBackupRoot() is { } backupRefused)
        {
            return backupRefused;
        }

        if (policy.State != PolicyState.Same && WriteChecks.Creatable(Path.GetDirectoryName(policyFile)!, "policy folder", policyFile) is { } policyFolder)
        {
            return change.Refuse(new AuditChangeRefusal(AuditChangeStep.Policy, [policyFolder], policyFile));
        }

        return change;
    }

    /// <summary>Plans turning auditing off: the flags, volumes and mounts Enable adds come out of the manifest (and kubeadm configuration).</summary>
    public static AuditChange Disable(string manifestPath, string backupRoot, string? kubeadmConfigPath = null)
    {
        var change = new AuditChange(false, manifestPath, backupRoot, kubeadmConfigPath);
        if (change.Edit(ApiServerManifestEditor.DisableFile(manifestPath), KubeadmEdit(kubeadmConfigPath, KubeadmConfigEditor.DisableFile)) is { } refused)
        {
            return refused;
        }

        if (!change.Manifest!.Changed && !change.KubeadmChanged)
        {
            change.NothingToDo = true;
            return change;
        }

        return change.CheckBackupRoot() ?? change;
    }

    /// <summary>What the plan does, in words and diffs: the -WhatIf text and the confirmation prompt.</summary>
    public string Describe()
    {
        var path = ManifestPath;
        var steps = new StringBuilder();
        if (IsEnable)
        {
            steps.Append(Policy!.Describe(BackupRoot));
            steps.Append(Manifest!.Changed ? $"; back up {path} under {BackupRoot} and change it:{Environment.NewLine}{Manifest.Diff}" : $"; {path} is already configured.");
            if (Kubeadm is not null)
            {
                steps.Append(KubeadmChanged
                    ? $"{Environment.NewLine}Back up the kubeadm configuration {KubeadmConfigPath} under {BackupRoot} and change it:{Environment.NewLine}{Kubeadm.Diff}"
                    : $"{Environment.NewLine}The kubeadm configuration {KubeadmConfigPath} is already configured.");
            }

            return steps.ToString();
        }

        steps.Append(Manifest!.Changed ? $"Back up {path} under {BackupRoot} and change it:{Environment.NewLine}{Manifest.Diff}" : $"{path}: auditing is not configured.");
        if (KubeadmChanged)
        {
            steps.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}Back up the kubeadm configuration {KubeadmConfigPath} under {BackupRoot} and change it:{Environment.NewLine}{Kubeadm!.Diff}");
        }

        return steps.ToString();
    }

    private static Func<ManifestEditResult>? KubeadmEdit(string? path, Func<string, ManifestEditResult> edit) =>
        path is null ? null : () => edit(path);

    // The kubeadm configuration is checked before anything is written; any error refuses the whole change.
    private AuditChange? Edit(ManifestEditResult manifest, Func<ManifestEditResult>? kubeadm)
    {
        Manifest = manifest;
        if (!manifest.Succeeded)
        {
            return Refuse(new AuditChangeRefusal(AuditChangeStep.Manifest, manifest.Diagnostics, ManifestPath));
        }

        Kubeadm = kubeadm?.Invoke();
        return Kubeadm is { Succeeded: false }
            ? Refuse(new AuditChangeRefusal(AuditChangeStep.Kubeadm, Kubeadm.Diagnostics, KubeadmConfigPath!))
            : null;
    }

    // What the writes would refuse is refused here, so -WhatIf and the real run stop alike, before either writes.
    private AuditChange? CheckBackupRoot() =>
        WriteChecks.BackupRoot(ManifestPath, BackupRoot) is { } refused
            ? Refuse(new AuditChangeRefusal(AuditChangeStep.Manifest, [refused], ManifestPath))
            : null;

    private AuditChange Refuse(AuditChangeRefusal refusal)
    {
        Refusal = refusal;
        return this;
    }

    // The kubelet runs every non-dot file in the manifests folder as a Pod: the policy must live elsewhere.
    private static AuditChangeRefusal? OutsideManifestsFolder(string manifest, string policyFile)
    {
        // Through links: a policy folder that is a link to the manifests folder puts the policy there all the same.
        var folder = Path.GetDirectoryName(WriteChecks.RealPath(manifest));
        var policyFolder = Path.GetDirectoryName(WriteChecks.RealPath(policyFile));
        return string.Equals(folder, policyFolder, StringComparison.Ordinal) && !Path.GetFileName(policyFile).StartsWith('.')
            ? Refusal1(AuditChangeStep.PolicyLocation, manifest,
                $"The policy destination {policyFile} is in the manifests folder {folder}: the kubelet would try to run it as a Pod. Put it elsewhere, e.g. /etc/kubernetes/audit-policy.yaml.")
            : null;
    }

    // hostPath DirectoryOrCreate fails when the log folder is a file, and the log cannot be a folder.
    private static AuditChangeRefusal? LogFolderProblem(string logPath, string? hostRoot)
    {
        if (logPath == "-" || !logPath.StartsWith('/'))
        {
            return null;
        }

        var log = HostPaths.OnDisk(hostRoot, logPath);
        var folder = Path.GetDirectoryName(log);
        if (folder is not null && File.Exists(folder))
        {
            return Refusal1(AuditChangeStep.HostPath, log, $"The audit log folder {folder} is a file; kube-apiserver could not write the log there.");
        }

        return Directory.Exists(log) ? Refusal1(AuditChangeStep.HostPath, log, $"The audit log path {log} is a folder; give the log file's path.") : null;
    }

    // The audit log folder on this host when it does not exist yet (the kubelet would create it 0755).
    private static string? MissingLogFolder(string logPath, string? hostRoot)
    {
        if (OperatingSystem.IsWindows() || logPath == "-" || !logPath.StartsWith('/'))
        {
            return null;
        }

        var folder = Path.GetDirectoryName(HostPaths.OnDisk(hostRoot, logPath));
        return folder is not null && !Directory.Exists(folder) && !File.Exists(folder) ? folder : null;
    }

    // A one-sentence refusal; its code is the error ID the cmdlet gives it.
    internal static AuditChangeRefusal Refusal1(AuditChangeStep step, string target, string message) =>
        new(step, [new Diagnostic(step == AuditChangeStep.HostPath ? "InvalidHostPath" : "InvalidArgument", DiagnosticSeverity.Error, message, target)], target);
}
