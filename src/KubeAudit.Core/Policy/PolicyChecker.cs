using YamlDotNet.Core;

namespace KubeAudit.Core.Policy;

/// <summary>
/// Reads, validates and lints a policy in one call: the reader's problems, what kube-apiserver
/// rejects (<see cref="PolicyValidator"/>, plus YAML 1.1 scalars it cannot decode) and the
/// <see cref="PolicyLinter"/> warnings, as one list of findings.
/// </summary>
public static class PolicyChecker
{
    /// <summary>Checks the policy file at <paramref name="path"/>.</summary>
    /// <param name="path">A YAML or JSON policy file.</param>
    /// <param name="targetMinor">The cluster's Kubernetes minor version (1.x); null means the latest known.</param>
    public static PolicyCheckResult Check(string path, int? targetMinor = null) => Check(path, targetMinor, CancellationToken.None);

    /// <summary>Checks the policy file at <paramref name="path"/>; <paramref name="cancel"/> stops a long check (OperationCanceledException).</summary>
    public static PolicyCheckResult Check(string path, int? targetMinor, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var failed = Findings.Make(Findings.Error, PolicyFindingCodes.ReadFailed, null, ex.Message, null, path, null, rejected: true);
            return new PolicyCheckResult { Findings = [failed], File = path };
        }

        return CheckBytes(bytes, path, targetMinor, cancel);
    }

    /// <summary>
    /// Checks a policy file's bytes as kube-apiserver reads them: invalid UTF-8 and control characters
    /// (which decoding to text would hide or keep) make it invalid before anything else.
    /// </summary>
    public static PolicyCheckResult CheckBytes(byte[] bytes, string? file = null, int? targetMinor = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var text = PolicyBytes.Decode(bytes, file, out var refused);
        return refused is null
            ? CheckText(text, file, targetMinor, cancel)
            : new PolicyCheckResult { Findings = ReaderFindings.From([refused], file, emptyFile: false), File = file };
    }

    /// <summary>Checks policy text; <paramref name="file"/> only names it in findings.</summary>
    public static PolicyCheckResult CheckText(string text, string? file = null, int? targetMinor = null) =>
        CheckText(text, file, targetMinor, CancellationToken.None);

    /// <summary>Checks policy text; <paramref name="cancel"/> stops a long check (OperationCanceledException), as Ctrl+C does in the commands.</summary>
    public static PolicyCheckResult CheckText(string text, string? file, int? targetMinor, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(text);
        var read = AuditPolicyReader.Read(text, file, cancel);
        var findings = ReaderFindings.From(read.Diagnostics, file, IsEmpty(text));
        if (read.Policy is null)
        {
            // Not a Policy at all (another kind, a bare list): its "unknown fields" are just noise.
            findings.RemoveAll(f => f.Code == PolicyFindingCodes.UnknownField);
        }

        if (read.Policy is { } policy)
        {
            var (hazards, keys) = YamlScalarHazards.Scan(text, file, cancel);
            findings.AddRange(hazards);
            var checks = PolicyValidator.Validate(policy, targetMinor).Concat(PolicyLinter.Lint(policy, cancel));
            foreach (var finding in checks)
            {
                // Policy-wide findings have no rule to take a position from: point at their key, else at rules.
                if (finding.Line == 0 && Position(keys, finding.Path) is { } mark)
                {
                    finding.Line = (int)mark.Line;
                    finding.Column = (int)mark.Column;
                }

                findings.Add(finding);
            }
        }

        return new PolicyCheckResult { Policy = read.Policy, Findings = Findings.Sort(findings), File = file };
    }

    private static Mark? Position(Dictionary<string, Mark> keys, string? path)
    {
        var key = path?.Split('.', '[')[0] ?? string.Empty;
        return keys.TryGetValue(key, out var mark) || keys.TryGetValue("rules", out mark) ? mark
            : keys.Count > 0 ? keys.Values.MinBy(m => m.Index)
            : null;
    }

    // Only blanks and comments: the API server sees no document at all.
    private static bool IsEmpty(string text) =>
        text.Split('\n').All(line => line.Trim().Length == 0 || line.TrimStart().StartsWith('#'));
}
