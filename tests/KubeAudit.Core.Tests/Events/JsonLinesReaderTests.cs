using System.IO.Compression;
using System.Text;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events;

namespace KubeAudit.Core.Tests.Events;

public class JsonLinesReaderTests
{
    [Fact]
    public void Read_BomCrlfAndBlankLines_GivesEventsWithTheirLineNumbers()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(
            "{\"verb\":\"get\"}\r\n\r\n   \n{\"verb\":\"list\"}\r\n\t{\"verb\":\"watch\"}  ")).ToArray();

        var records = ReaderHelpers.ReadBytes(bytes);

        Assert.All(records, r => Assert.Null(r.Error));
        Assert.Equal(["get", "list", "watch"], records.Select(r => r.Event!.Verb));
        Assert.Equal([1L, 4L, 5L], records.Select(r => r.Event!.Line));
        Assert.Equal("{\"verb\":\"list\"}", records[1].Event!.ToJson());
    }

    [Fact]
    public void Read_BadLineBetweenGoodOnes_ReportsItAndKeepsGoing()
    {
        var records = ReaderHelpers.ReadText("{\"verb\":\"get\"}\n{\"verb\":\n{\"verb\":\"list\"}\nnot json at all\n{\"verb\":\"watch\"}\n");

        Assert.Equal(["get", "list", "watch"], records.Where(r => r.Event is not null).Select(r => r.Event!.Verb));
        var errors = records.Where(r => r.Error is not null).Select(r => r.Error!).ToList();
        Assert.Equal([2L, 4L], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal(DiagnosticCodes.InvalidJson, e.Code));
        Assert.All(errors, e => Assert.Equal("test.log", e.File));
    }

    [Fact]
    public void Read_LineLongerThanTheBuffer_IsReadWhole()
    {
        // 3 MB of body forces the 256 KB buffer to grow several times, with neighbours on both sides.
        var body = new string('x', 3 * 1024 * 1024);
        var text = "{\"verb\":\"get\"}\n{\"verb\":\"create\",\"requestObject\":{\"data\":\"" + body + "\"}}\n{\"verb\":\"list\"}";

        var records = ReaderHelpers.ReadText(text);

        Assert.Equal(["get", "create", "list"], records.Select(r => r.Event!.Verb));
        Assert.Equal(body.Length + 11, records[1].Event!.RequestObject!.Length);
        Assert.Equal(3L, records[2].Event!.Line);
    }

    [Fact]
    public void Read_NoTrailingNewline_ReadsTheLastLine()
    {
        var records = ReaderHelpers.ReadText("{\"verb\":\"get\"}\n{\"verb\":\"list\"}");

        Assert.Equal(2, records.Count);
        Assert.Equal(2L, records[1].Event!.Line);
    }

    [Fact]
    public void OpenFile_GzipFile_IsDecompressed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubeaudit-{Guid.NewGuid():N}.log.gz");
        try
        {
            using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            {
                gz.Write(Encoding.UTF8.GetBytes("{\"verb\":\"get\"}\n{\"verb\":\"patch\"}\n"));
            }

            using var reader = JsonLinesReader.OpenFile(path);
            var records = reader.ReadRecords().ToList();

            Assert.Equal(["get", "patch"], records.Select(r => r.Event!.Verb));
            Assert.Equal(path, records[0].Event!.File);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OpenFile_FileBeingWritten_CanStillBeRead()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubeaudit-{Guid.NewGuid():N}.log");
        try
        {
            // The API server keeps the log open for append while we read it.
            using var writer = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            writer.Write(Encoding.UTF8.GetBytes("{\"verb\":\"get\"}\n"));
            writer.Flush();

            using var reader = JsonLinesReader.OpenFile(path);

            Assert.Single(reader.ReadRecords());
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public class JsonLinesReaderHugeLineTests
{
    [Fact]
    public void Read_FiftyMegabyteLine_IsReadWholeBetweenItsNeighbours()
    {
        // A RequestResponse event with a 50 MB body (a big ConfigMap or CRD list) must not break the reader.
        var path = Path.Combine(Path.GetTempPath(), $"kubeaudit-huge-{Guid.NewGuid():N}.log");
        try
        {
            const int bodyBytes = 50 * 1024 * 1024;
            using (var file = File.Create(path))
            {
                file.Write("{\"verb\":\"get\",\"auditID\":\"before\"}\n"u8);
                file.Write("{\"verb\":\"list\",\"auditID\":\"huge\",\"responseObject\":{\"data\":\""u8);
                var chunk = new byte[1024 * 1024];
                Array.Fill(chunk, (byte)'x');
                for (var i = 0; i < bodyBytes / chunk.Length; i++)
                {
                    file.Write(chunk);
                }

                file.Write("\"}}\n{\"verb\":\"watch\",\"auditID\":\"after\"}\n"u8);
            }

            using var reader = KubeAudit.Core.Events.JsonLinesReader.OpenFile(path);
            var records = reader.ReadRecords().ToList();

            Assert.Equal(["before", "huge", "after"], records.Select(r => r.Event!.AuditId));
            Assert.Equal(bodyBytes + 11, records[1].Event!.ResponseObject!.Length);
            Assert.Equal(3L, records[2].Event!.Line);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
