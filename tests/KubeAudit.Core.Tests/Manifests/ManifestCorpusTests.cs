using KubeAudit.Core.Manifests;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>Every corpus manifest: Enable, Read clean, Enable again unchanged, Disable back to the original.</summary>
public sealed class ManifestCorpusTests
{
    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(TestPaths.CorpusFile("manifests")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static readonly AuditEnableOptions s_options = new() { Force = true, Compress = true, Format = "json" };

    [Theory]
    [MemberData(nameof(Manifests))]
    public void EnableReadEnableDisable_RoundTrips(string name)
    {
        var original = File.ReadAllText(TestPaths.CorpusFile("manifests", name));
        var before = ApiServerManifestReader.ReadText(original, name);
        var hadAudit = before.Flags.Any(f => f.Name is "audit-policy-file" or "audit-log-path" or "audit-log-maxage" or "audit-webhook-config-file");

        var enabled = ApiServerManifestEditor.Enable(original, s_options, name);
        Assert.True(enabled.Succeeded, string.Join("\n", enabled.Diagnostics));
        Assert.True(enabled.Changed);
        Assert.True(enabled.Verified);
        Assert.NotEmpty(enabled.Diff);

        var read = ApiServerManifestReader.ReadText(enabled.NewText, name);
        Assert.True(read.Problems.Count == 0, string.Join("\n", read.Problems));
        Assert.True(read.IsEnabled);
        Assert.Equal("/etc/kubernetes/audit-policy.yaml", read.PolicyFile);
        Assert.Equal("/var/log/kubernetes/audit/audit.log", read.LogPath);
        Assert.Equal("30", read.LogMaxAge);
        Assert.All(read.PathMounts, p => Assert.True(p.IsMounted));

        var again = ApiServerManifestEditor.Enable(enabled.NewText, s_options, name);
        Assert.True(again.Succeeded);
        Assert.False(again.Changed);
        Assert.Equal("already configured", again.NoChangeReason);

        var disabled = ApiServerManifestEditor.Disable(enabled.NewText, name);
        Assert.True(disabled.Succeeded, string.Join("\n", disabled.Diagnostics));
        if (!hadAudit)
        {
            // Nothing was there before: Disable is the exact inverse of Enable.
            Assert.Equal(original, disabled.NewText);
        }

        var expected = ManifestSemantics.Of(original, withoutManagedAudit: true);
        var actual = ManifestSemantics.Of(disabled.NewText, withoutManagedAudit: true);
        Assert.Equal(expected, actual);
        Assert.DoesNotContain(ManifestSemantics.Of(disabled.NewText, withoutManagedAudit: false).Flags, ManifestSemantics.IsManaged);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Enable_TouchesOnlyTheListsItEdits(string name)
    {
        var original = File.ReadAllText(TestPaths.CorpusFile("manifests", name));
        var enabled = ApiServerManifestEditor.Enable(original, s_options, name);
        Assert.True(enabled.Succeeded, string.Join("\n", enabled.Diagnostics));

        // Every original line is still there, in order (edits only add lines or change flag items in place).
        var oldLines = original.Split('\n');
        var newLines = enabled.NewText.Split('\n');
        var changedFlagLines = oldLines.Count(l => !newLines.Contains(l));
        Assert.True(changedFlagLines <= 8, $"{changedFlagLines} original lines changed");
        // A changed line is an audit flag set in place, or (JSON) the old last item that gained a comma.
        Assert.All(oldLines.Where(l => !newLines.Contains(l)), l => Assert.True(l.Contains("--audit-", StringComparison.Ordinal) || newLines.Contains(l + ","), l));
        Assert.Equal(ManifestSemantics.Of(original, true).Rest, ManifestSemantics.Of(enabled.NewText, true).Rest);
    }
}
