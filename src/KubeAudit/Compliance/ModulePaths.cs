namespace KubeAudit.Commands.Compliance;

/// <summary>Where the module's files are: the folder of KubeAudit.dll.</summary>
internal static class ModulePaths
{
    /// <summary>The module folder.</summary>
    public static string Base { get; } = Path.GetDirectoryName(typeof(ModulePaths).Assembly.Location)!;

    /// <summary>The module manifest, imported again in the runspace that runs the compliance suite.</summary>
    public static string Manifest => Path.Combine(Base, "KubeAudit.psd1");

    /// <summary>The compliance suite's Pester files, in the order they run.</summary>
    public static string[] SuiteFiles() =>
        Directory.Exists(Path.Combine(Base, "Compliance"))
            ? [.. Directory.GetFiles(Path.Combine(Base, "Compliance"), "*.Tests.ps1").Order(StringComparer.Ordinal)]
            : [];
}
