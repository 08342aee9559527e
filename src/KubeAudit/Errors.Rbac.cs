using System.Management.Automation;
using KubeAudit.Core.Rbac;

namespace KubeAudit.Commands;

/// <summary>The RBAC commands' ErrorRecords (the rest of <see cref="Errors"/> is in Errors*.cs).</summary>
internal static partial class Errors
{
    /// <summary>Error ID <c>KubeAudit.InvalidServiceAccount</c>.</summary>
    public const string InvalidServiceAccountId = "KubeAudit.InvalidServiceAccount";

    /// <summary>Error ID <c>KubeAudit.NoMatchingEvents</c>.</summary>
    public const string NoMatchingEventsId = "KubeAudit.NoMatchingEvents";

    /// <summary>Error ID <c>KubeAudit.SubjectRequired</c>.</summary>
    public const string SubjectRequiredId = "KubeAudit.SubjectRequired";

    /// <summary>Not exactly one of -User, -Group, -ServiceAccount.</summary>
    public static ErrorRecord SubjectRequired() =>
        new(
            new ArgumentException("Give exactly one subject: -User, -Group or -ServiceAccount."),
            SubjectRequiredId,
            ErrorCategory.InvalidArgument,
            null);

    /// <summary>A -ServiceAccount value that is not namespace:name.</summary>
    public static ErrorRecord InvalidServiceAccount(string value, FormatException ex) =>
        new(new ArgumentException(ex.Message, ex), InvalidServiceAccountId, ErrorCategory.InvalidArgument, value);

    /// <summary>No event of the subject was read.</summary>
    public static ErrorRecord NoMatchingEvents(RbacSubject subject, string? ns) =>
        new(
            new InvalidOperationException($"No audit event matched {subject}{(ns is null ? string.Empty : " in namespace " + ns)}; nothing was generated."),
            NoMatchingEventsId,
            ErrorCategory.ObjectNotFound,
            subject);
}
