using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;

namespace KubeAudit.Commands.Compliance;

/// <summary>
/// Runs the compliance suite with Pester in a runspace of its own. Pester keeps its state in its
/// module, so a run inside the caller's session would clash with a Pester run already going on
/// there (the suite started from inside a test); a separate runspace has its own Pester and
/// KubeAudit, and shares only the host, so Pester's report still reaches the console.
/// </summary>
internal sealed class SuiteRunner : IDisposable
{
    private const string Script = """
        param($PesterPath, $ModulePath, $Files, $Data, $Tag, $ExcludeTag, $OutputFormat, $OutputPath, $Verbosity)
        $ErrorActionPreference = 'Stop'
        # Pester first: KubeAudit registers its Should operators when it finds Pester loaded.
        Import-Module $PesterPath
        Import-Module $ModulePath
        $config = New-PesterConfiguration
        $config.Run.Container = @(foreach ($file in $Files) { New-PesterContainer -Path $file -Data $Data })
        $config.Run.PassThru = $true
        $config.Output.Verbosity = $Verbosity
        if ($Tag) { $config.Filter.Tag = $Tag }
        if ($ExcludeTag) { $config.Filter.ExcludeTag = $ExcludeTag }
        if ($OutputPath) {
            $config.TestResult.Enabled = $true
            $config.TestResult.OutputFormat = $OutputFormat
            $config.TestResult.OutputPath = $OutputPath
        }
        Invoke-Pester -Configuration $config
        """;

    private readonly Runspace _runspace;
    private readonly PowerShell _ps;

    public SuiteRunner(PSHost host)
    {
        var state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            // Pester is a script module; a restrictive machine policy must not stop a run the user asked for.
            state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        _runspace = RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
        _ps = PowerShell.Create();
        _ps.Runspace = _runspace;
    }

    /// <summary>Pester's run object, and the errors the run raised outside any test.</summary>
    public (PSObject? Run, IReadOnlyList<ErrorRecord> Errors) Invoke(SuiteRun run)
    {
        _ps.AddScript(Script)
            .AddParameter("PesterPath", run.PesterPath)
            .AddParameter("ModulePath", ModulePaths.Manifest)
            .AddParameter("Files", run.Files)
            .AddParameter("Data", run.Data)
            .AddParameter("Tag", run.Tag)
            .AddParameter("ExcludeTag", run.ExcludeTag)
            .AddParameter("OutputFormat", run.OutputFormat)
            .AddParameter("OutputPath", run.OutputPath)
            .AddParameter("Verbosity", run.Verbosity);
        try
        {
            var output = _ps.Invoke();
            var result = output.LastOrDefault(o => o?.Properties["Tests"] is not null && o.Properties["PassedCount"] is not null);
            return (result, _ps.Streams.Error.ToList());
        }
        catch (RuntimeException ex)
        {
            return (null, [.. _ps.Streams.Error, ex.ErrorRecord]);
        }
    }

    /// <summary>Stops a run in progress (Ctrl+C).</summary>
    public void Stop() => _ps.Stop();

    public void Dispose()
    {
        _ps.Dispose();
        _runspace.Dispose();
    }
}
