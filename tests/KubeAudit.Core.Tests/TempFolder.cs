namespace KubeAudit.Core.Tests;

/// <summary>A fresh folder under the temp directory, deleted afterwards; the one temp-folder helper of these tests.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kubeaudit-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A straggling handle on Windows; the temp folder is cleaned up eventually.
        }
    }
}
