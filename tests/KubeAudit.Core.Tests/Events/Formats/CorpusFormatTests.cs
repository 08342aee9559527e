using System.Text.RegularExpressions;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Formats;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>Every file of the corpus, read through <see cref="AuditSource"/>, against PROVENANCE.md.</summary>
public partial class CorpusFormatTests
{
    // Files whose outcome differs from PROVENANCE's event column, and why.
    private static readonly Dictionary<string, (int Events, string[] Errors)> s_exceptions = new()
    {
        // {"kind": 0}: a deliberately malformed fixture; kind must be a string.
        ["events/falco-k8s_audit-traces/fal_01_003.json"] = (0, [DiagnosticCodes.InvalidEventField]),

        // PROVENANCE counts AUDIT lines. Pre-1.7 basic audit writes a request line and a response line
        // per request; the response line is merged into the request's event.
        ["events/k8s-website-docs/k8s-website-docs-2016-legacy-basic-audit.log"] = (1, []),
        ["events/k8s-website-docs/k8s-website-docs-2017a-legacy-audit.log"] = (3, []),
    };

    // Files added by the project, not in PROVENANCE's table.
    private static readonly Dictionary<string, int> s_unlisted = new()
    {
        ["events/guide/guide-example-event.json"] = 1,
    };

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestPaths.CorpusFile("events"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(TestPaths.Corpus, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void ReadFile_EveryCorpusFile_GivesTheEventsProvenanceCounts(string relativePath)
    {
        var provenance = Provenance();
        int expectedEvents;
        string[] expectedErrors = [];
        if (s_exceptions.TryGetValue(relativePath, out var exception))
        {
            (expectedEvents, expectedErrors) = exception;
        }
        else if (provenance.TryGetValue(relativePath, out var row))
        {
            expectedEvents = row.Events;
        }
        else
        {
            Assert.True(s_unlisted.TryGetValue(relativePath, out expectedEvents), $"{relativePath} is neither in PROVENANCE.md nor known to this test");
        }

        var records = AuditSource.ReadFile(Path.Combine(TestPaths.Corpus, relativePath)).ToList();

        var errors = records.Where(r => r.Error is not null).Select(r => r.Error!).ToList();
        Assert.True(expectedErrors.SequenceEqual(errors.Select(e => e.Code)), $"{relativePath}: unexpected diagnostics: {string.Join("; ", errors)}");
        Assert.Equal(expectedEvents, records.Count(r => r.Event is not null));
        Assert.All(records, r => Assert.True(r.Event is null != (r.Error is null)));
        Assert.All(records.Events(), e => Assert.Equal(Path.Combine(TestPaths.Corpus, relativePath), e.File));
        Assert.All(records.Events(), e => Assert.True(e.Line >= 1));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void DetectFileFormat_EveryCorpusFile_MatchesProvenanceFormatColumn(string relativePath)
    {
        if (!Provenance().TryGetValue(relativePath, out var row))
        {
            return;
        }

        var expected = row.Format switch
        {
            "JSON lines" or "single event, one line" => AuditLogFormat.JsonLines,
            "legacy-text" => AuditLogFormat.LegacyText,
            var f when f.StartsWith("AKS EventHub wrapper", StringComparison.Ordinal) => AuditLogFormat.WrappedJsonLines, // one line
            _ => AuditLogFormat.JsonDocument, // pretty single events, EventLists, the pretty Azure record
        };

        Assert.Equal(expected, AuditSource.DetectFileFormat(Path.Combine(TestPaths.Corpus, relativePath)));
    }

    [Fact]
    public void Corpus_AllListedFiles_AccountFor1287EventsOrLegacyLines()
    {
        var provenance = Provenance();
        Assert.Equal(77, provenance.Count);
        Assert.Equal(1287, provenance.Values.Sum(r => r.Events));

        long events = 0, mergedResponseLines = 0, malformed = 0;
        foreach (var relativePath in provenance.Keys)
        {
            var path = Path.Combine(TestPaths.Corpus, relativePath);
            var records = AuditSource.ReadFile(path).ToList();
            events += records.Count(r => r.Event is not null);
            malformed += records.Count(r => r.Error is not null);
            if (relativePath.EndsWith(".log", StringComparison.Ordinal) && relativePath.Contains("legacy", StringComparison.Ordinal))
            {
                // Basic-audit response lines: only id= and response=.
                mergedResponseLines += File.ReadLines(path).Count(l => ResponseOnly().IsMatch(l));
            }
        }

        Assert.Equal(2, mergedResponseLines);
        Assert.Equal(1, malformed);
        Assert.Equal(1287, events + mergedResponseLines + malformed);
    }

    private static Dictionary<string, (int Events, string Format)> Provenance()
    {
        var rows = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        var inEvents = false;
        foreach (var line in File.ReadLines(TestPaths.CorpusFile("PROVENANCE.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inEvents = line.Trim() == "## events";
            }
            else if (inEvents && Row().Match(line) is { Success: true } m)
            {
                rows[m.Groups[1].Value] = (int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[3].Value.Trim());
            }
        }

        return rows;
    }

    [GeneratedRegex(@"^\| `(events/[^`]+)` \| \d+ \| (\d+) \| ([^|]+) \|")]
    private static partial Regex Row();

    [GeneratedRegex(@"AUDIT: id=""[^""]*"" response=""[^""]*""\s*$")]
    private static partial Regex ResponseOnly();
}
