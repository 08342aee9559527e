using System.Management.Automation;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands.Policy;

/// <summary>
/// Turns a -Policy argument (a path, a file, or a KubeAudit.AuditPolicy) into a checked policy, once,
/// in BeginProcessing. A policy kube-apiserver would refuse is a terminating error with its findings;
/// errors it accepts (unknown fields, which it drops) become warnings, and the policy is used as the
/// API server would use it.
/// </summary>
internal static class PolicyInput
{
    public static AuditPolicy Load(PSCmdlet cmdlet, object? value, CancellationToken cancel = default)
    {
        var raw = value is PSObject wrapped ? wrapped.BaseObject : value;
        PolicyCheckResult result;
        AuditPolicy? policy = null;
        if (raw is AuditPolicy given)
        {
            result = PolicyObjectChecker.Check(given);
            policy = given;
        }
        else if (raw is FileInfo file)
        {
            result = CheckFile(cmdlet, file.FullName, cancel);
        }
        else if (raw is PathInfo resolved)
        {
            // From Resolve-Path; already resolved, so no wildcards.
            result = CheckFile(cmdlet, ResolveOne(cmdlet, resolved.Path, literal: true), cancel);
        }
        else if (raw is string { Length: > 0 } path)
        {
            result = CheckFile(cmdlet, ResolveOne(cmdlet, path, literal: false), cancel);
        }
        else
        {
            cmdlet.ThrowTerminatingError(Errors.NotAPolicyArgument(raw));
            throw new InvalidOperationException();
        }

        policy ??= result.Policy;
        if (policy is null || !result.AcceptedByApiServer)
        {
            cmdlet.ThrowTerminatingError(Errors.InvalidPolicy(result));
        }

        foreach (var finding in result.Findings.Where(f => f.Severity == "Error"))
        {
            cmdlet.WriteWarning($"{finding} (kube-apiserver loads the policy anyway; results show what it would do)");
        }

        return policy!;
    }

    private static string ResolveOne(PSCmdlet cmdlet, string path, bool literal)
    {
        var errors = new List<ErrorRecord>();
        var files = PathResolver.Resolve(cmdlet, [path], literal, errors.Add);
        if (errors.Count > 0)
        {
            cmdlet.ThrowTerminatingError(errors[0]);
        }

        if (files.Count != 1)
        {
            cmdlet.ThrowTerminatingError(Errors.AmbiguousPolicyPath(path, files));
        }

        return files[0];
    }

    private static PolicyCheckResult CheckFile(PSCmdlet cmdlet, string file, CancellationToken cancel)
    {
        if (Directory.Exists(file))
        {
            cmdlet.ThrowTerminatingError(Errors.PathIsDirectory(file, "audit-policy.yaml"));
        }

        if (!File.Exists(file))
        {
            cmdlet.ThrowTerminatingError(Errors.PathNotFound(file));
        }

        return Stoppable(() => PolicyChecker.Check(file, null, cancel));
    }

    /// <summary>Runs a policy check that Ctrl+C (StopProcessing cancelling the token) ends as a stopped pipeline.</summary>
    public static PolicyCheckResult Stoppable(Func<PolicyCheckResult> check)
    {
        try
        {
            return check();
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }
}
