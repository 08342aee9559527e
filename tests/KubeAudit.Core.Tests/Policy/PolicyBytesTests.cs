using System.Text;
using KubeAudit.Core.Manifests;
using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

/// <summary>
/// kube-apiserver's YAML reader refuses NUL, other control characters and invalid UTF-8 anywhere in the
/// file (comments included), so the API server would not start: such a policy is invalid, with the byte
/// offset and line, and is never installed.
/// </summary>
public sealed class PolicyBytesTests : IDisposable
{
    private const string Head = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, byte[], string> Hostile => new()
    {
        { "NUL in a comment", [.. Encoding.UTF8.GetBytes(Head + "# x"), 0x00, .. "\n- level: Metadata\n"u8], "U+0000" },
        { "escape in a value", [.. Encoding.UTF8.GetBytes(Head + "- level: Metadata\n  users: [\"a"), 0x1B, .. "b\"]\n"u8], "U+001B" },
        { "DEL", [.. Encoding.UTF8.GetBytes(Head + "# "), 0x7F, .. "\n- level: Metadata\n"u8], "U+007F" },
        { "invalid UTF-8", [.. Encoding.UTF8.GetBytes(Head + "# caf"), 0xC3, 0x28, .. "\n- level: Metadata\n"u8], "UTF-8" },
        { "lone continuation byte", [.. Encoding.UTF8.GetBytes(Head + "# "), 0x80, .. "\n- level: Metadata\n"u8], "UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Check_BytesTheApiServerRefuses_AreAnErrorWithByteOffsetAndLine(string why, byte[] bytes, string named)
    {
        var path = _folder.File("policy.yaml");
        File.WriteAllBytes(path, bytes);
        var offset = Array.FindIndex(bytes, b => b is < 0x20 and not (0x0A or 0x09) or >= 0x7F);

        var result = PolicyChecker.Check(path);

        Assert.False(result.IsValid, why);
        Assert.False(result.AcceptedByApiServer, why);
        var error = Assert.Single(result.Findings, f => f.Severity == "Error");
        Assert.Equal(PolicyFindingCodes.InvalidYaml, error.Code);
        Assert.Equal(1 + bytes.Take(offset).Count(b => b == '\n'), error.Line);
        Assert.Contains("byte offset " + offset, error.Message);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Check_TabsCrLfAndNonAsciiText_AreAccepted()
    {
        var path = _folder.File("policy.yaml");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes((Head + "# café ✓ 😀\n- level: Metadata\t\n").Replace("\n", "\r\n")));

        Assert.True(PolicyChecker.Check(path).IsValid);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void WritePolicyFile_BytesTheApiServerRefuses_AreNotInstalled(string why, byte[] bytes, string named)
    {
        _ = named;
        var source = _folder.File("source.yaml");
        File.WriteAllBytes(source, bytes);
        var destination = _folder.File(Path.Combine("etc", "audit-policy.yaml"));

        var result = ManifestWriter.WritePolicyFile(source, destination, new ManifestWriteOptions { BackupRoot = _folder.File("backup") });

        Assert.False(result.Written, why);
        Assert.False(result.Succeeded, why);
        Assert.False(File.Exists(destination), why);
    }
}
