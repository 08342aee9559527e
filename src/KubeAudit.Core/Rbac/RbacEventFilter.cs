using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Rbac;

/// <summary>
/// A reading filter that lets the log reader skip, from their bytes, lines that cannot be the subject's, so
/// generating costs about what reading the subject's events costs. It only narrows: the generator still
/// decides exactly (the filter is case-insensitive and also takes the impersonated user).
/// </summary>
public static class RbacEventFilter
{
    /// <summary>The filter for <paramref name="subject"/> (and <paramref name="ns"/>), or null when a name holds wildcard characters.</summary>
    public static AuditEventFilter? For(RbacSubject subject, string? ns)
    {
        var name = subject.Kind == RbacSubject.GroupKind ? subject.Name : subject.UserName;
        if (name.AsSpan().IndexOfAny("*?[]`") >= 0 || (ns is not null && ns.AsSpan().IndexOfAny("*?[]`") >= 0))
        {
            return null;
        }

        return new AuditEventFilter
        {
            Users = subject.Kind == RbacSubject.GroupKind ? [] : [name],
            Groups = subject.Kind == RbacSubject.GroupKind ? [name] : [],
            Namespaces = ns is null ? [] : [ns],
            IncludeImpersonated = true,
        };
    }
}
