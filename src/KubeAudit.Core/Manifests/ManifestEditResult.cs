using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// A computed manifest edit: the old and new text, a unified diff for -WhatIf, what changed and why
/// not. Nothing is written until <see cref="ManifestWriter"/> is given this result.
/// </summary>
public sealed class ManifestEditResult
{
    /// <summary>The manifest file, when the edit came from one.</summary>
    public string? File { get; internal init; }

    /// <summary>The text the edit was computed from.</summary>
    public string OriginalText { get; internal init; } = string.Empty;

    /// <summary>The edited text; equal to <see cref="OriginalText"/> when nothing changes or the edit failed.</summary>
    public string NewText { get; internal init; } = string.Empty;

    /// <summary>Errors that stopped the edit (nothing is changed then), and notes.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; internal init; } = [];

    /// <summary>One line per change, e.g. <c>add --audit-log-maxage=30</c>.</summary>
    public IReadOnlyList<string> Changes { get; internal init; } = [];

    /// <summary>True when there was no error.</summary>
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>True when the edit changes the text.</summary>
    public bool Changed => Succeeded && !string.Equals(OriginalText, NewText, StringComparison.Ordinal);

    /// <summary>True when the edit was parsed again and found to hold exactly the intended changes.</summary>
    public bool Verified { get; internal init; }

    /// <summary>Why nothing changes (<c>already configured</c>, <c>not configured</c>), or null.</summary>
    public string? NoChangeReason { get; internal init; }

    /// <summary>A unified diff of old and new text; empty when nothing changes.</summary>
    public string Diff => Changed ? UnifiedDiff.Create(OriginalText, NewText, File ?? "kube-apiserver.yaml") : string.Empty;

    internal static ManifestEditResult Failed(string text, string? file, params Diagnostic[] errors) =>
        new() { File = file, OriginalText = text, NewText = text, Diagnostics = errors };
}
