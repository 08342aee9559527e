using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace KubeAudit.Commands.Loading;

/// <summary>
/// Hooks the default load context at import so that the one name it cannot find,
/// KubeAudit.Core, is answered from our own load context.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string CoreAssemblyName = "KubeAudit.Core";

    private static readonly CoreLoadContext s_loadContext = new(
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "Dependencies"));

    /// <summary>The load context KubeAudit's engine lives in (for diagnostics and tests).</summary>
    public static AssemblyLoadContext LoadContext => s_loadContext;

    /// <inheritdoc />
    public void OnImport()
    {
        // Imported again (-Force, or in the runspace Invoke-KubeAuditCompliance runs Pester in): one handler is enough.
        AssemblyLoadContext.Default.Resolving -= ResolveCore;
        AssemblyLoadContext.Default.Resolving += ResolveCore;

        // Tests usually load Pester first; Should needs the operators before the first pipeline that uses them binds.
        Compliance.ShouldOperators.RegisterAtImport();
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveCore;

    private static Assembly? ResolveCore(AssemblyLoadContext defaultContext, AssemblyName name) =>
        name.Name == CoreAssemblyName ? s_loadContext.LoadFromAssemblyName(name) : null;
}
