using System.Management.Automation;
using KubeAudit.Core.Rbac;

namespace KubeAudit.Commands.Rbac;

/// <summary>-User / -Group / -ServiceAccount to one subject; a terminating error when that is not exactly one.</summary>
internal static class RbacSubjectInput
{
    /// <summary>The subject given, or null when none is; a terminating error for more than one (or none, when required).</summary>
    public static RbacSubject? ResolveOptional(PSCmdlet cmdlet, string? user, string? group, string? serviceAccount, bool required = true)
    {
        var given = new[] { user, group, serviceAccount }.Count(v => !string.IsNullOrEmpty(v));
        if (given > 1 || (given == 0 && required))
        {
            cmdlet.ThrowTerminatingError(Errors.SubjectRequired());
        }

        if (given == 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(user))
        {
            return RbacSubject.User(user);
        }

        if (!string.IsNullOrEmpty(group))
        {
            return RbacSubject.Group(group);
        }

        try
        {
            return RbacSubject.ServiceAccount(serviceAccount!);
        }
        catch (FormatException ex)
        {
            cmdlet.ThrowTerminatingError(Errors.InvalidServiceAccount(serviceAccount!, ex));
            throw; // not reached
        }
    }
}
