using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace KubeAudit.Commands.Compliance;

/// <summary>
/// Registers KubeAudit's Should operators (-HaveAuditLevel, -HaveAuditFlag, -PassComplianceCheck)
/// with Pester when Pester 5 or later is loaded. Pester is never loaded for this: the module imports
/// without it, and registration waits until Pester is there.
/// </summary>
internal static class ShouldOperators
{
    // Pester's operators live in its module instance: a re-import or another runspace needs them again.
    private static readonly ConditionalWeakTable<PSModuleInfo, object> s_registered = new();
    private static string? s_script;

    /// <summary>The operators' script, shipped readable in the module's Compliance folder.</summary>
    public static string ScriptPath => Path.Combine(ModulePaths.Base, "Compliance", "ShouldOperators.ps1");

    /// <summary>At import: registers them when Pester is already loaded; never fails the import.</summary>
    public static void RegisterAtImport()
    {
        try
        {
            // Pester 5 and later load their Pester.dll at import: without it no Pester is loaded, and the
            // script that looks for it (a pipeline compiled at every import) need not run.
            if (Runspace.DefaultRunspace is null || !PesterAssemblyLoaded())
            {
                return;
            }

            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            Register(ps.AddScript(FindPester).Invoke().FirstOrDefault()?.BaseObject as PSModuleInfo, script =>
            {
                ps.Commands.Clear();
                ps.AddScript(script).Invoke();
            });
        }
        catch (Exception ex) when (ex is RuntimeException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // The operators are a convenience; a failure here must not stop KubeAudit from importing.
        }
    }

    /// <summary>From a command: registers them if Pester was loaded after KubeAudit.</summary>
    public static void EnsureRegistered(PSCmdlet cmdlet)
    {
        try
        {
            var pester = cmdlet.InvokeCommand.InvokeScript(FindPester).FirstOrDefault()?.BaseObject as PSModuleInfo;
            Register(pester, script => cmdlet.InvokeCommand.InvokeScript(script));
        }
        catch (Exception ex) when (ex is RuntimeException or IOException or UnauthorizedAccessException)
        {
            cmdlet.WriteVerbose($"KubeAudit's Should operators were not registered: {ex.Message}");
        }
    }

    private static bool PesterAssemblyLoaded() =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Pester");

    // Only a module already loaded: Get-Module without -ListAvailable never imports anything.
    private const string FindPester = "Get-Module Pester | Where-Object { $_.Version -ge [version]'5.0' } | Select-Object -First 1";

    private static void Register(PSModuleInfo? pester, Action<string> run)
    {
        if (pester is null || s_registered.TryGetValue(pester, out _))
        {
            return;
        }

        // Run as a script so the operators' script blocks are bound to a session state (Pester 6 refuses unbound ones).
        s_script ??= File.ReadAllText(ScriptPath);
        run(s_script);
        s_registered.AddOrUpdate(pester, new object());
    }
}
