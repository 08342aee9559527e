using System.Management.Automation;
using KubeAudit.Core.Rbac;

namespace KubeAudit.Commands.Rbac;

/// <summary>The ErrorRecords of the RBAC commands.</summary>
internal static class RbacErrors
{
    /// <summary>Not exactly one of -User, -Group, -ServiceAccount.</summary>
    public static ErrorRecord SubjectRequired() =>
        new(
            new ArgumentException("Give exactly one subject: -User, -Group or -ServiceAccount."),
            "KubeAudit.SubjectRequired",
            ErrorCategory.InvalidArgument,
            null);

    /// <summary>A -ServiceAccount value that is not namespace:name.</summary>
    public static ErrorRecord InvalidServiceAccount(string value, FormatException ex) =>
        new(new ArgumentException(ex.Message, ex), "KubeAudit.InvalidServiceAccount", ErrorCategory.InvalidArgument, value);

    /// <summary>No event of the subject was read.</summary>
    public static ErrorRecord NoMatchingEvents(RbacSubject subject, string? ns) =>
        new(
            new InvalidOperationException($"No audit event matched {subject}{(ns is null ? string.Empty : " in namespace " + ns)}; nothing was generated."),
            "KubeAudit.NoMatchingEvents",
            ErrorCategory.ObjectNotFound,
            subject);
}
