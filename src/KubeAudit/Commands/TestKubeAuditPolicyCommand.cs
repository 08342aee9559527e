using System.Management.Automation;
using KubeAudit.Commands.Policy;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Checks audit policies as kube-apiserver would, plus warnings about what they log.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KubeAuditPolicy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(bool), typeof(PolicyFinding))]
public sealed class TestKubeAuditPolicyCommand : PSCmdlet, IDisposable
{
    // Cancelled by Ctrl+C: checking a very large policy can take a while.
    private readonly CancellationTokenSource _stop = new();
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";
    private const string ContentSet = "Content";

    private readonly List<string> _content = [];
    private int? _targetMinor;

    #region Parameters

    /// <summary>Policy files (YAML or JSON); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Policy files, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Policy objects, e.g. from Get-KubeAuditPolicy.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [Alias("Policy")]
    [ValidateNotNull]
    public AuditPolicy[] InputObject { get; set; } = [];

    /// <summary>Policy text (YAML or JSON); strings from the pipeline are joined into one document.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ContentSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string[] Content { get; set; } = [];

    /// <summary>The cluster's Kubernetes version (1.29, v1.29, 1.29.3); the latest when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubernetesVersion { get; set; }

    /// <summary>Output the findings instead of true or false.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    /// <summary>Count warnings as failures.</summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (KubernetesVersion is { } version)
        {
            if (!Core.Policy.KubernetesVersion.TryParseMinor(version, out var minor))
            {
                ThrowTerminatingError(Errors.InvalidKubernetesVersion(version));
            }

            _targetMinor = minor;
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ContentSet)
        {
            // Like ConvertFrom-Json: Get-Content's lines, or New-KubeAuditPolicy's one string, make one document.
            _content.AddRange(Content);
            return;
        }

        if (ParameterSetName == InputObjectSet)
        {
            foreach (var policy in InputObject)
            {
                Report(PolicyObjectChecker.Check(policy, _targetMinor));
            }

            return;
        }

        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in PathResolver.Resolve(this, literal ? LiteralPath : Path, literal, WriteError))
        {
            if (Directory.Exists(file))
            {
                WriteError(Errors.PathIsDirectory(file, "*.yaml"));
                continue;
            }

            Report(PolicyInput.Stoppable(() => PolicyChecker.Check(file, _targetMinor, _stop.Token)));
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (ParameterSetName == ContentSet && _content.Count > 0)
        {
            var text = string.Join("\n", _content);
            if (LooksLikeAPath(text))
            {
                WriteWarning($"'{text}' is checked as policy text; to check the file it names, use -Path.");
            }

            Report(PolicyInput.Stoppable(() => PolicyChecker.CheckText(text, null, _targetMinor, _stop.Token)));
        }
    }

    #endregion

    // Strings from the pipeline are text, so a piped file name is a likely slip.
    private bool LooksLikeAPath(string text)
    {
        if (text.Contains('\n') || text.Contains(": ", StringComparison.Ordinal))
        {
            return false;
        }

        return PathResolver.ResolveFileSystem(this, text, out _) is { } path && File.Exists(path);
    }

    private void Report(PolicyCheckResult result)
    {
        var warnings = result.Findings.Count(f => f.Severity == "Warning");
        var passed = result.IsValid && (!Strict || warnings == 0);
        WriteVerbose($"{result}{(Strict && warnings > 0 ? " (-Strict: warnings fail)" : string.Empty)}");
        if (Detailed)
        {
            WriteObject(result.Findings, enumerateCollection: true);
        }
        else
        {
            WriteObject(passed);
        }
    }
}
