namespace KubeAudit.Core.Manifests;

/// <summary>What <see cref="AuditChange.Apply()"/> did: the files written and their backups, or why it failed and whether it was rolled back.</summary>
public sealed class AuditChangeResult
{
    internal AuditChangeResult(AuditChange change) => Change = change;

    /// <summary>The plan that was applied.</summary>
    public AuditChange Change { get; }

    /// <summary>True when every write succeeded.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>Why a write failed (and notes on what could not be put back); null on success.</summary>
    public AuditChangeRefusal? Failure { get; internal set; }

    /// <summary>True when a write failed and what was written before it was put back (see <see cref="Failure"/> for what could not be).</summary>
    public bool RolledBack { get; internal set; }

    /// <summary>The policy write, when the policy was installed.</summary>
    public ManifestWriteResult? Policy { get; internal set; }

    /// <summary>The manifest write, when the manifest changed.</summary>
    public ManifestWriteResult? Manifest { get; internal set; }

    /// <summary>The kubeadm configuration write, when it changed.</summary>
    public ManifestWriteResult? Kubeadm { get; internal set; }

    /// <summary>The audit log folder made, when one was.</summary>
    public string? LogFolderMade { get; internal set; }

    /// <summary>What happened, in order: verbose lines and warnings.</summary>
    public IReadOnlyList<AuditChangeNote> Notes => _notes;

    /// <summary>The manifest's backup when the manifest was replaced: what a failed health check restores.</summary>
    public string? ManifestBackup => Manifest is { Written: true } written ? written.BackupPath : null;

    /// <summary>Every file replaced or created.</summary>
    public IEnumerable<string> WrittenFiles => new[] { Policy, Manifest, Kubeadm }.Where(w => w is { Written: true }).Select(w => w!.Path);

    private readonly List<AuditChangeNote> _notes = [];

    internal void Verbose(string text) => _notes.Add(new AuditChangeNote(false, text));

    internal void Warn(string text) => _notes.Add(new AuditChangeNote(true, text));
}
