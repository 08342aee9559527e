using System.Management.Automation;

namespace KubeAudit.Commands;

/// <summary>
/// A command that reads audit logs as Get-KubeAuditEvent does, whole or -Tail or -Follow (Get-KubeAuditEvent,
/// Find-KubeAuditThreat): <see cref="LogFileCommand.ReadLogs"/> picks the read from these parameters.
/// </summary>
public abstract class AuditLogCommand : LogFileCommand
{
    /// <summary>Keep reading as the API server appends, across rotation, until Ctrl+C.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Alias("Wait")]
    public SwitchParameter Follow { get; set; }

    /// <summary>Start with the last N lines of the file (with -Follow: then wait for more).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Alias("Last")]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <inheritdoc />
    protected override bool Following => Follow;

    /// <inheritdoc />
    protected override int? TailLines => Tail;
}
