using System.IO.Compression;
using System.Text;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Reading;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Reading;

/// <summary>A .gz cut short (a copy that stopped, a full disk) gives the events it holds, then an error naming it.</summary>
public sealed class TruncatedGzipTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false, 4)] // cut inside the trailer
    [InlineData(false, 0)] // cut in the middle
    [InlineData(true, 0)] // pretty-printed events go through format detection
    public void Read_TruncatedGzip_GivesItsEventsThenAnErrorNamingTheFile(bool pretty, int trailerBytesCut)
    {
        var full = Compress(Content(3000, pretty));
        var cut = trailerBytesCut > 0 ? full.Length - trailerBytesCut : full.Length / 2;
        var path = _folder.File("audit-2024-01-01T00-00-00.000.log.gz");
        File.WriteAllBytes(path, full[..cut]);

        var records = SegmentedLogReader.Read([path]).ToList();

        var events = records.Events();
        Assert.NotEmpty(events);
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => "id-" + i), events.Select(e => e.AuditId));
        var last = records[^1];
        Assert.Null(last.Event);
        Assert.Equal(DiagnosticCodes.ReadFailed, last.Error!.Code);
        Assert.Equal(path, last.Error.File);
        Assert.Contains("truncated", last.Error.Message, StringComparison.OrdinalIgnoreCase);
        // Besides, at most the event the cut went through, reported as the broken JSON it is.
        Assert.All(records.SkipLast(1).Where(r => r.Error is not null), r => Assert.Equal(DiagnosticCodes.InvalidJson, r.Error!.Code));
        Assert.True(records.Count(r => r.Error is not null) <= 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_WholeGzip_GivesEveryEventAndNoError(bool pretty)
    {
        var path = _folder.File("whole.log.gz");
        File.WriteAllBytes(path, Compress(Content(3000, pretty)));

        var records = SegmentedLogReader.Read([path]).ToList();

        Assert.All(records, r => Assert.Null(r.Error));
        Assert.Equal(3000, records.Events().Count);
    }

    [Fact]
    public void Read_ConcatenatedGzipMembers_IsNotCalledTruncated()
    {
        var path = _folder.File("joined.log.gz");
        var text = Content(2000, false);
        var half = text.IndexOf('\n', text.Length / 2) + 1;
        File.WriteAllBytes(path, [.. Compress(text[..half]), .. Compress(text[half..])]);

        var records = SegmentedLogReader.Read([path]).ToList();

        Assert.All(records, r => Assert.Null(r.Error));
        Assert.Equal(2000, records.Events().Count);
    }

    private static string Content(int count, bool pretty)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var json = EventJson(auditId: "id-" + i, uri: "/api/v1/namespaces/ns-" + (i * 7919 % 1000) + "/pods");
            text.Append(pretty ? json.Replace(",\"", ",\n  \"") : json).Append('\n');
        }

        return text.ToString();
    }

    private static byte[] Compress(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
