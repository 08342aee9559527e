namespace KubeAudit.Core.Tests;

/// <summary>Where the repository, its samples and the corpus are.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The corpus of real artefacts in tests/corpus; KUBEAUDIT_CORPUS overrides.</summary>
    public static string Corpus { get; } =
        Environment.GetEnvironmentVariable("KUBEAUDIT_CORPUS") is { Length: > 0 } env
            ? env
            : Path.Combine(RepositoryRoot, "tests", "corpus");

    public static string CorpusFile(params string[] parts) => Path.Combine([Corpus, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeAudit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("KubeAudit.sln not found above " + AppContext.BaseDirectory);
    }
}
