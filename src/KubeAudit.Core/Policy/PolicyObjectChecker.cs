namespace KubeAudit.Core.Policy;

/// <summary>
/// Checks a policy that is already an object (from Get-KubeAuditPolicy, or built in code). Its file,
/// when it still has one, is checked instead: only the file shows what the reader dropped (unknown
/// fields) and the YAML scalars the API server cannot decode.
/// </summary>
public static class PolicyObjectChecker
{
    /// <summary>Checks <paramref name="policy"/> for a cluster at minor version <paramref name="targetMinor"/> (null: the latest).</summary>
    public static PolicyCheckResult Check(AuditPolicy policy, int? targetMinor = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.File is { Length: > 0 } file && File.Exists(file))
        {
            return PolicyChecker.Check(file, targetMinor);
        }

        var findings = PolicyValidator.Validate(policy, targetMinor).Concat(PolicyLinter.Lint(policy));
        return new PolicyCheckResult { Policy = policy, Findings = Findings.Sort(findings), File = policy.File };
    }
}
