using System.Management.Automation;

namespace KubeAudit.Commands.Compliance;

/// <summary>Finds the Pester the compliance suite runs on: the one loaded if it is new enough, else the newest installed.</summary>
internal static class PesterModule
{
    /// <summary>The oldest Pester the suite is tested with (the one most CI images carry).</summary>
    public static readonly Version Minimum = new(5, 7, 0);

    // Loaded first, so that a Pester a user imported by path (from a NuGet package, say) is the one used.
    private const string Script = """
        param([version] $Minimum)
        $loaded = Get-Module Pester | Where-Object Version -GE $Minimum | Sort-Object Version -Descending | Select-Object -First 1
        if ($loaded) { return $loaded }
        Get-Module Pester -ListAvailable | Where-Object Version -GE $Minimum | Sort-Object Version -Descending | Select-Object -First 1
        """;

    /// <summary>The manifest path and version of a usable Pester, or null.</summary>
    public static (string Path, Version Version)? Find(PSCmdlet cmdlet)
    {
        var found = cmdlet.InvokeCommand.InvokeScript(cmdlet.SessionState, ScriptBlock.Create(Script), Minimum).FirstOrDefault()?.BaseObject as PSModuleInfo;
        if (found is null)
        {
            return null;
        }

        var psd1 = Path.Combine(found.ModuleBase, "Pester.psd1");
        return (File.Exists(psd1) ? psd1 : found.Path, found.Version);
    }

    /// <summary>The error when there is none: what is missing and the ways to get it.</summary>
    public static ErrorRecord NotFound() =>
        new(
            new InvalidOperationException(
                $"Invoke-KubeAuditCompliance runs its checks with Pester {Minimum.ToString(2)} or later, and none is loaded or installed. " +
                "Install it with 'Install-Module Pester -MinimumVersion 5.7.1 -Scope CurrentUser' (or 'Install-PSResource Pester'), " +
                "or, without the PowerShell Gallery, download the Pester package from NuGet and run 'Import-Module <package>/tools/Pester.psd1' first. " +
                "Get-KubeAuditComplianceCheck gives the same checks without Pester."),
            "KubeAudit.PesterNotFound",
            ErrorCategory.NotInstalled,
            "Pester")
        {
            ErrorDetails = new ErrorDetails($"Pester {Minimum.ToString(2)} or later is needed and was not found.")
            {
                RecommendedAction = "Install-Module Pester -MinimumVersion 5.7.1, or Import-Module the tools/Pester.psd1 of the NuGet package, then run again.",
            },
        };
}
