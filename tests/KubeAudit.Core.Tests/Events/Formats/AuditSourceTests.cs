using System.IO.Compression;
using System.Text;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Events.Formats;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

public class AuditSourceTests
{
    [Theory]
    [InlineData("", AuditLogFormat.Empty)]
    [InlineData(" \r\n\t\n", AuditLogFormat.Empty)]
    [InlineData("{\"verb\":\"get\"}\n", AuditLogFormat.JsonLines)]
    [InlineData("{\"verb\":\"get\"}", AuditLogFormat.JsonLines)]
    [InlineData("\n\n  {\"verb\":\"get\"}\n{\"verb\":\"list\"}", AuditLogFormat.JsonLines)]
    [InlineData("{\"verb\":\"get\",\"requestObject\":{\"data\":\"a very long line that did not fit in what was peeked", AuditLogFormat.JsonLines)]
    [InlineData("{\n  \"verb\": \"get\"\n}", AuditLogFormat.JsonDocument)]
    [InlineData(" {\n", AuditLogFormat.JsonDocument)]
    [InlineData("{ \"operationName\": \"x\",\n  \"category\": \"kube-audit\"\n}", AuditLogFormat.JsonDocument)]
    [InlineData("{\"records\": [\n{\"a\": 1},\n{\"b\": 2}\n]}", AuditLogFormat.JsonDocument)]
    [InlineData("[\n]", AuditLogFormat.JsonDocument)]
    [InlineData("[{\"verb\":\"get\"}]", AuditLogFormat.JsonDocument)]
    [InlineData("{\"kind\":\"EventList\",\"items\":[]}\n", AuditLogFormat.WrappedJsonLines)]
    [InlineData("{\"message\":\"{}\",\"timestamp\":1}\n", AuditLogFormat.WrappedJsonLines)]
    [InlineData("2024-01-01T00:00:00Z AUDIT: id=\"x\" response=\"200\"\n", AuditLogFormat.LegacyText)]
    [InlineData("2024-01-01T00:00:00.000Z {\"verb\":\"get\"}\n", AuditLogFormat.TimestampedJsonLines)]
    [InlineData("hello world\n", AuditLogFormat.Unknown)]
    [InlineData("\uFEFF{\n", AuditLogFormat.JsonDocument)]
    public void DetectFormat_FromTheFirstBytes(string start, AuditLogFormat expected)
    {
        Assert.Equal(expected, AuditSource.DetectFormat(Encoding.UTF8.GetBytes(start)));
    }

    [Fact]
    public void Read_GzipPrettyDocumentFromANonSeekableStream()
    {
        var pretty = File.ReadAllBytes(Corpus("openshift-clo-raw_audit_oauth-apiserver.json"));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(pretty);
        }

        using var stream = new ForwardOnlyStream(compressed.ToArray());
        var ev = Assert.Single(AuditSource.Read(stream, "x.json.gz").Events());

        Assert.Equal("head", ev.Verb);
        Assert.Equal(403, ev.Code);
        Assert.True(stream.CanRead); // left open
    }

    [Fact]
    public void ReadFile_GzipJsonLines()
    {
        var path = Path.Combine(Path.GetTempPath(), "kubeaudit-formats-" + Guid.NewGuid().ToString("N") + ".log.gz");
        try
        {
            using (var file = File.Create(path))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                gzip.Write(File.ReadAllBytes(Corpus("audit2rbac-demo-883f4e8-v1beta1.log")));
            }

            var events = AuditSource.ReadFile(path).Events();

            Assert.Equal(37, events.Count);
            Assert.All(events, e => Assert.Equal(path, e.File));
            Assert.Equal(AuditLogFormat.JsonLines, AuditSource.DetectFileFormat(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_WithFilter_KeepsMatchingEventsOfEveryShape_AndAllDiagnostics()
    {
        var text = EventJson("get", "f1") + "\n" +
                   $"{{\"message\":{Quote(EventJson("delete", "f2"))}}}\n" +
                   "not json\n" +
                   """2017-09-05T06:08:19Z AUDIT: id="f4" stage="ResponseComplete" ip="1.2.3.4" method="delete" user="u" groups="<none>" as="<self>" asgroups="<lookup>" namespace="<none>" uri="/x" response="200" """ + "\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var records = AuditSource.Read(stream, "x.log", new AuditEventFilter { Verbs = ["delete"] }).ToList();

        Assert.Equal(["f2", Core.Diagnostics.DiagnosticCodes.InvalidJson, "f4"], records.Select(r => r.Event?.AuditId ?? r.Error!.Code));
    }

    [Fact]
    public void ReadFile_Cancelled_StopsQuietly()
    {
        using var cancel = new CancellationTokenSource();
        var count = 0;
        foreach (var record in AuditSource.ReadFile(Corpus("openshift-clo-audit_in.log"), null, cancel.Token))
        {
            if (++count == 3)
            {
                cancel.Cancel();
            }
        }

        Assert.Equal(3, count);
    }

    [Fact]
    public void ReadFile_MissingFile_ThrowsWhenEnumerated()
    {
        var records = AuditSource.ReadFile(Path.Combine(Path.GetTempPath(), "no-such-kubeaudit-file.log"));

        Assert.Throws<FileNotFoundException>(() => records.First());
    }

    [Fact]
    public void Read_LongFirstJsonLine_BeyondThePeek_IsStillJsonLines()
    {
        var body = new string('x', 3 * 1024 * 1024);
        var text = "{\"verb\":\"create\",\"requestObject\":{\"data\":\"" + body + "\"}}\n" + EventJson("get", "second");

        var records = Read(text);

        Assert.Equal(["create", "get"], records.Events().Select(e => e.Verb));
        Assert.Equal(body.Length + 11, records[0].Event!.RequestObject!.Length);
    }

    [Fact]
    public void Read_LongOneLineAzureBatch_BeyondThePeek()
    {
        var record = $"{{\"category\":\"kube-audit\",\"properties\":{{\"log\":{Quote(EventJson() + "\n")}}}}}";
        var text = "{\"records\":[" + string.Join(",", Enumerable.Repeat(record, 8000)) + "]}";
        Assert.True(text.Length > 2 * 1024 * 1024);

        var events = Read(text).Events();

        Assert.Equal(8000, events.Count);
        Assert.All(events, e => Assert.Equal(1, e.Line));
    }

    [Fact]
    public void ReadText_And_Read_GiveTheSameForEveryCorpusFile()
    {
        foreach (var path in Directory.EnumerateFiles(TestPaths.CorpusFile("events"), "*", SearchOption.AllDirectories))
        {
            var fromFile = AuditSource.ReadFile(path).Select(Describe).ToList();
            var fromLines = AuditSource.ReadText(File.ReadAllLines(path), path).Select(Describe).ToList();
            var fromWhole = AuditSource.ReadText([File.ReadAllText(path)], path).Select(Describe).ToList();

            Assert.Equal(fromFile, fromLines);
            Assert.Equal(fromFile, fromWhole);
        }

        static string Describe(Core.Events.AuditLogRecord r) =>
            r.Event is { } e ? $"{e.Line} {e.AuditId} {e.Verb} {e.Code}" : $"{r.Error!.Line} {r.Error.Code}";
    }

    /// <summary>A stream that cannot seek, like a pipe or a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Position
        {
            get => base.Position;
            set => throw new NotSupportedException();
        }
    }
}
