namespace KubeAudit.Core.Manifests;

/// <summary>Which part of an <see cref="AuditChange"/> refused or failed; the cmdlet words its error after it.</summary>
public enum AuditChangeStep
{
    /// <summary>The manifest edit, the backup folder, or the manifest write.</summary>
    Manifest,

    /// <summary>The kubeadm configuration's edit or write.</summary>
    Kubeadm,

    /// <summary>Installing the policy file (its folder, or the write).</summary>
    Policy,

    /// <summary>A different policy is at the destination and Force was not given.</summary>
    PolicyConflict,

    /// <summary>The policy destination is in the manifests folder, where the kubelet would run it as a Pod.</summary>
    PolicyLocation,

    /// <summary>A host path has the wrong kind (a file where a folder is needed, or the reverse).</summary>
    HostPath,

    /// <summary>A file that exists could not be read.</summary>
    ReadFailed,
}

/// <summary>Why an <see cref="AuditChange"/> was refused before anything was written, or why its <see cref="AuditChange.Apply()"/> failed.</summary>
/// <param name="Step">The part that refused.</param>
/// <param name="Diagnostics">Every error (the first one's code names it), and notes.</param>
/// <param name="Target">The file the refusal is about: the kubeadm configuration, the policy file, or the manifest.</param>
/// <param name="Exception">The exception behind a <see cref="AuditChangeStep.ReadFailed"/>.</param>
public sealed record AuditChangeRefusal(AuditChangeStep Step, IReadOnlyList<Diagnostics.Diagnostic> Diagnostics, string Target, Exception? Exception = null)
{
    /// <summary>The first message, for refusals that are one sentence.</summary>
    public string Message => Diagnostics.Count > 0 ? Diagnostics[0].Message : Exception?.Message ?? string.Empty;
}

/// <summary>One line a change reports as it goes, in order: verbose detail, or a warning.</summary>
/// <param name="IsWarning">True for a warning.</param>
/// <param name="Text">The line.</param>
public sealed record AuditChangeNote(bool IsWarning, string Text);
