using System.Management.Automation;

namespace KubeAudit.Commands;

/// <summary>
/// A command that reads existing files named by -Path (wildcards, also from the pipeline) or -LiteralPath (also by
/// property name, as Get-ChildItem's output gives it): log readers (<see cref="LogFileCommand"/>) and Get-KubeAuditPolicy.
/// </summary>
public abstract class FileInputCommand : PSCmdlet
{
    /// <summary>The parameter set of -Path.</summary>
    protected const string PathSet = "Path";

    /// <summary>The parameter set of -LiteralPath.</summary>
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Files (or, for logs, folders) to read; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Files (or, for logs, folders) to read, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Whether the paths were given by -LiteralPath.</summary>
    protected bool IsLiteral => ParameterSetName == LiteralPathSet;

    /// <summary>The paths given, by -Path or -LiteralPath.</summary>
    protected string[] GivenPaths => IsLiteral ? LiteralPath : Path;
}
