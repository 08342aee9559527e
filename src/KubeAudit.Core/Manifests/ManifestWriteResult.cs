using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Manifests;

/// <summary>What a safe write did.</summary>
public sealed class ManifestWriteResult
{
    /// <summary>The file written (or left alone).</summary>
    public string Path { get; internal init; } = string.Empty;

    /// <summary>True when the new content is in place, or nothing needed writing.</summary>
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>True when the file was replaced.</summary>
    public bool Written { get; internal init; }

    /// <summary>The copy of the previous content, when one was made.</summary>
    public string? BackupPath { get; internal init; }

    /// <summary>The topmost folder made to hold the backup (removed by <see cref="ManifestWriter.TakeBack"/>).</summary>
    public string? BackupFolderMade { get; internal init; }

    /// <summary>The topmost folder made to hold the file itself, e.g. a policy's (removed by <see cref="ManifestWriter.TakeBack"/> when empty).</summary>
    public string? FolderMade { get; internal init; }

    /// <summary>Why it failed; the original is then unchanged.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; internal init; } = [];
}
