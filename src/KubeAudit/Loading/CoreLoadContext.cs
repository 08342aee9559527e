using System.Reflection;
using System.Runtime.Loader;

namespace KubeAudit.Commands.Loading;

/// <summary>
/// Loads KubeAudit.Core and its third-party dependencies (YamlDotNet) from the module's
/// Dependencies folder, apart from whatever copies other modules brought into the session.
/// </summary>
internal sealed class CoreLoadContext : AssemblyLoadContext
{
    // The model must have one identity in the whole session, so it always comes from the default context.
    private const string ModelAssemblyName = "KubeAudit.Model";

    private readonly string _dependencyDirectory;

    public CoreLoadContext(string dependencyDirectory)
        : base("KubeAudit", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    public string DependencyDirectory => _dependencyDirectory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || assemblyName.Name == ModelAssemblyName)
        {
            return null;
        }

        // Anything not shipped in Dependencies (the framework, the model) falls back to the default context.
        var path = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
