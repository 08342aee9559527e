using System.Text.Json;
using KubeAudit.Core.Events;

namespace KubeAudit.Core.Tests.Events;

/// <summary>Every single-line JSON record in the shared corpus comes out as an event or a diagnostic, never lost.</summary>
public class CorpusReadTests
{
    public static TheoryData<string> JsonLinesFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestPaths.CorpusFile("events"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (IsJsonLines(file))
            {
                data.Add(Path.GetRelativePath(TestPaths.Corpus, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(JsonLinesFiles))]
    public void ReadFile_JsonLinesCorpusFile_EveryEventLineIsAnEventAndEveryOtherLineAnError(string relativePath)
    {
        var file = Path.Combine(TestPaths.Corpus, relativePath);
        var lines = File.ReadAllLines(file).Select((text, i) => (Text: text.Trim('\uFEFF', ' ', '\t'), Number: i + 1L)).Where(l => l.Text.Length > 0).ToList();

        using var reader = JsonLinesReader.OpenFile(file);
        var records = reader.ReadRecords().ToList();

        Assert.Equal(lines.Count, records.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var expectEvent = LooksLikeEvent(lines[i].Text);
            Assert.True(expectEvent == records[i].Event is not null, $"{relativePath}:{lines[i].Number}: expected {(expectEvent ? "an event" : "an error")}, got {records[i].Error}");
            var line = records[i].Event?.Line ?? records[i].Error!.Line;
            Assert.Equal(lines[i].Number, line);
        }
    }

    [Fact]
    public void JsonLinesFiles_CoverTheCorpus()
    {
        // Guards the theory above against silently finding nothing (e.g. a moved corpus).
        var count = JsonLinesFiles().Count;
        Assert.True(count >= 55, $"only {count} JSON-lines files found under {TestPaths.Corpus}");
    }

    // The same rule the Pester/jq comparison uses: an object whose kind is Event or absent and that carries an event field.
    private static bool LooksLikeEvent(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (root.TryGetProperty("kind", out var kind) && !(kind.ValueKind == JsonValueKind.String && kind.GetString() == "Event"))
        {
            return false;
        }

        return root.TryGetProperty("kind", out _) || new[] { "level", "auditID", "stage", "verb", "requestURI" }.Any(p => root.TryGetProperty(p, out _));
    }

    private static bool IsJsonLines(string file)
    {
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim('\uFEFF', ' ', '\t', '\r');
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var _ = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                return false;
            }
        }

        return true;
    }
}
