using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Core.Compliance;

/// <summary>CIS 3.2.1: a policy file is set, mounted into the container, present and valid as kube-apiserver reads it.</summary>
internal static class PolicyFileCheck
{
    public static ComplianceCheck Evaluate(ComplianceContext context)
    {
        const string name = CheckNames.AuditPolicyFile;
        var o = context.Options;
        if (context.Config is not { } config)
        {
            var judged = context.PolicyCheck is { } given ? $" ({Validity(given, context)})" : string.Empty;
            return CheckFactory.Make(o, name, CheckFactory.Failed, $"{context.ManifestError} --audit-policy-file cannot be confirmed{judged}.");
        }

        if (string.IsNullOrEmpty(config.PolicyFile))
        {
            return CheckFactory.Make(o, name, CheckFactory.Failed,
                $"--audit-policy-file is not set in {config.ManifestPath}: the API server records no audit events at all.");
        }

        var flag = $"--audit-policy-file={config.PolicyFile}{context.At(AuditFlags.PolicyFile)}";
        var unmounted = config.Problems.FirstOrDefault(p => p.Flag == AuditFlags.PolicyFile && p.Code == DiagnosticCodes.AuditFlagNotMounted);
        if (unmounted is not null)
        {
            return CheckFactory.Make(o, name, CheckFactory.Failed, $"{unmounted.Message} Fix: {unmounted.Hint}");
        }

        if (context.PolicyCheck is not { } check)
        {
            var where = o.PolicyPath is null
                ? " (a path on the node: run on the node, or give the policy file's path on this machine)"
                : string.Empty;
            return CheckFactory.Make(o, name, CheckFactory.Failed, $"{flag}, but the policy file {context.PolicySource} does not exist{where}.");
        }

        return CheckFactory.Make(o, name, check.IsValid ? CheckFactory.Passed : CheckFactory.Failed, $"{flag}, mounted; {Validity(check, context)}.");
    }

    private static string Validity(PolicyCheckResult check, ComplianceContext context)
    {
        if (check.IsValid)
        {
            var warnings = check.Findings.Count(f => f.Severity == "Warning");
            var more = warnings == 0 ? string.Empty : $", with {warnings} warning(s) (Test-KubeAuditPolicy -Detailed lists them)";
            return $"the policy {context.PolicySource} is valid: {check.Policy!.Rules.Length} rule(s){more}";
        }

        var errors = string.Join("; ", check.Findings.Where(f => f.Severity == "Error").Take(3).Select(f => f.Line > 0 ? $"line {f.Line}: {f.Message}" : f.Message));
        return $"the policy {context.PolicySource} is not valid: {errors}";
    }
}
