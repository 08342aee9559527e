using KubeAudit.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Policy;

/// <summary>
/// Reads an audit Policy from YAML or JSON, keeping each rule's line and column. Unknown keys
/// are reported (the API server drops them silently, which can widen a rule).
/// </summary>
public static class AuditPolicyReader
{
    /// <summary>Reads the policy in a file.</summary>
    public static PolicyReadResult ReadFile(string path)
    {
        string text;
        try
        {
            text = PolicyBytes.Decode(File.ReadAllBytes(path), path, out var refused);
            if (refused is not null)
            {
                return new PolicyReadResult(null, [refused]);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PolicyReadResult(null, [new Diagnostic(DiagnosticCodes.ReadFailed, DiagnosticSeverity.Error, ex.Message, path)]);
        }

        return Read(text, path);
    }

    /// <summary>Reads a policy from YAML or JSON text; <paramref name="file"/> names it in diagnostics.</summary>
    public static PolicyReadResult Read(string text, string? file) => Read(text, file, CancellationToken.None);

    /// <summary>Reads a policy from YAML or JSON text; <paramref name="cancel"/> stops reading a huge one (OperationCanceledException).</summary>
    public static PolicyReadResult Read(string text, string? file, CancellationToken cancel)
    {
        var diagnostics = new List<Diagnostic>();
        if (PolicyBytes.Check(text, file) is { } refused)
        {
            // The API server's YAML reader stops before parsing: there is no policy to speak of.
            return new PolicyReadResult(null, [refused]);
        }

        if (!YamlText.TryLoad(text, out var stream, out var yamlError, out var errorAt, cancel))
        {
            diagnostics.Add(new Diagnostic(
                DiagnosticCodes.InvalidYaml,
                DiagnosticSeverity.Error,
                "The file is not valid YAML or JSON: " + yamlError,
                file,
                errorAt.Line,
                errorAt.Column));
            return new PolicyReadResult(null, diagnostics);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? Mark.Empty : stream.Documents[0].RootNode.Start;
            diagnostics.Add(new Diagnostic(
                DiagnosticCodes.NotAPolicy,
                DiagnosticSeverity.Error,
                stream.Documents.Count == 0 ? "The file is empty; a Policy needs apiVersion, kind and rules." : "The document is not a mapping of Policy fields.",
                file,
                at.Line,
                at.Column));
            return new PolicyReadResult(null, diagnostics);
        }

        if (stream.Documents.Count > 1)
        {
            var extra = stream.Documents[1].RootNode.Start;
            diagnostics.Add(new Diagnostic(
                DiagnosticCodes.NotAPolicy,
                DiagnosticSeverity.Warning,
                "The file holds more than one YAML document; only the first is the policy.",
                file,
                extra.Line,
                extra.Column));
        }

        cancel.ThrowIfCancellationRequested();
        var policy = new PolicyNodeReader(file, diagnostics).ReadPolicy(root);
        return new PolicyReadResult(policy, diagnostics);
    }
}
