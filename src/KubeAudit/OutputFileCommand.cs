using System.Management.Automation;

namespace KubeAudit.Commands;

/// <summary>
/// A command that writes one file, named by -Path (position 0) or -LiteralPath (PSPath, LP), each in a parameter set of
/// its name. Both are taken literally: the file need not exist yet.
/// </summary>
public abstract class OutputFileCommand : PSCmdlet
{
    /// <summary>The parameter set of -Path.</summary>
    protected const string PathSet = "Path";

    /// <summary>The parameter set of -LiteralPath.</summary>
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The file to write, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = string.Empty;

    /// <summary>-Path or -LiteralPath, whichever was given.</summary>
    protected string GivenPath => ParameterSetName == LiteralPathSet ? LiteralPath : Path;
}
