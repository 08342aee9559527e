using System.Management.Automation;
using KubeAudit.Commands.Completion;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Rbac;

namespace KubeAudit.Commands.Rbac;

/// <summary>
/// The RBAC commands (Compare-KubeAuditRbac, New-KubeAuditRbacPolicy): they take the events of one subject, given by
/// -User, -Group or -ServiceAccount, from log files or from the pipeline, and answer at the end.
/// </summary>
public abstract class RbacLogCommand : LogFileCommand
{
    /// <summary>The parameter set of events from the pipeline.</summary>
    protected const string InputObjectSet = "InputObject";

    /// <summary>Events, from Get-KubeAuditEvent.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public AuditEvent? InputObject { get; set; }

    /// <summary>The user (the impersonated user where there is one), exactly as logged.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(UserCompleter))]
    public string? User { get; set; }

    /// <summary>A group: the requests of its members, and the grants of bindings to it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Group { get; set; }

    /// <summary>A service account: namespace:name or system:serviceaccount:namespace:name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceAccountCompleter))]
    public string? ServiceAccount { get; set; }

    /// <summary>Lets the reader skip lines that cannot matter before parsing them (none: every event is read).</summary>
    protected virtual AuditEventFilter? LogFilter => null;

    /// <inheritdoc />
    protected sealed override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            if (InputObject is { } ev)
            {
                Add(ev);
            }

            return;
        }

        ReadLogs(Add, LogFilter);
    }

    /// <summary>Takes one event, in log order.</summary>
    protected abstract void Add(AuditEvent ev);

    /// <summary>The subject given by -User, -Group or -ServiceAccount; a terminating error for more than one (or none, when <paramref name="required"/>).</summary>
    protected RbacSubject? ResolveSubject(bool required) => RbacSubjectInput.ResolveOptional(this, User, Group, ServiceAccount, required);
}
