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
}
