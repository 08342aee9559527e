using System.IO.Compression;
using System.Text;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Events.Reading;
using KubeAudit.LogGenerator;

namespace KubeAudit.Core.Tests.Events.Reading;

public sealed class SegmentedLogReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeaudit-seg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Read_InPieces_GivesTheSameRecordsInTheSameOrderAsOneReader(int workers)
    {
        var file = Generate("a.log", 3000, seed: 5, badLineEvery: 701);

        var expected = Sequential(file);
        var actual = Describe(SegmentedLogReader.Read([file], workers: workers, minimumPieceBytes: 64 * 1024));

        Assert.True(new FileInfo(file).Length > 8 * 64 * 1024, "the file must be cut into several pieces");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Read_SeveralFilesAndGzip_KeepsFileOrderAndLineNumbersPerFile()
    {
        var first = Generate("1.log", 1500, seed: 1, badLineEvery: 0);
        var second = Generate("2.log", 1500, seed: 2, badLineEvery: 499);
        var zipped = Path.Combine(_dir, "3.log.gz");
        using (var gz = new GZipStream(File.Create(zipped), CompressionLevel.Fastest))
        {
            gz.Write(File.ReadAllBytes(second));
        }

        var expected = Sequential(first).Concat(Sequential(second)).Concat(Sequential(zipped).Select(s => s.Replace(second, zipped, StringComparison.Ordinal))).ToList();
        var actual = Describe(SegmentedLogReader.Read([first, second, zipped], workers: 2, minimumPieceBytes: 64 * 1024));

        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Read_WithFilter_MatchesTheFilteredSequentialRead()
    {
        var file = Generate("f.log", 4000, seed: 9, badLineEvery: 0);
        var filter = new AuditEventFilter { Verbs = ["create"] };

        using var reader = JsonLinesReader.OpenFile(file, filter);
        var expected = Describe(reader.ReadRecords());
        var actual = Describe(SegmentedLogReader.Read([file], filter, workers: 2, minimumPieceBytes: 64 * 1024));

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Read_ReportsProgressUpToTheFileSize()
    {
        var file = Generate("p.log", 2000, seed: 3, badLineEvery: 0);
        var progress = new ReadProgress();

        var count = SegmentedLogReader.Read([file], progress: progress, workers: 2, minimumPieceBytes: 64 * 1024).Count();

        Assert.Equal(2000, count);
        Assert.Equal(new FileInfo(file).Length, progress.TotalBytes);
        Assert.Equal(progress.TotalBytes, progress.BytesRead);
    }

    [Fact]
    public void Read_ConsumerStopsEarly_WorkersStop()
    {
        var file = Generate("s.log", 3000, seed: 4, badLineEvery: 0);

        var first = SegmentedLogReader.Read([file], workers: 2, minimumPieceBytes: 64 * 1024).Take(5).ToList();

        Assert.Equal(5, first.Count);
        // The file is no longer held open by a worker.
        File.Delete(file);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Read_MissingFile_IsAReadFailedRecordBetweenTheOthers()
    {
        var good = Generate("g.log", 10, seed: 1, badLineEvery: 0);
        var records = SegmentedLogReader.Read([good, Path.Combine(_dir, "missing.log"), good]).ToList();

        Assert.Equal(21, records.Count);
        Assert.Equal("ReadFailed", records[10].Error!.Code);
    }

    private string Generate(string name, int count, int seed, int badLineEvery)
    {
        var path = Path.Combine(_dir, name);
        using var memory = new MemoryStream();
        AuditLogGenerator.Write(memory, new GeneratorOptions { Count = count, Seed = seed });
        var lines = Encoding.UTF8.GetString(memory.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (badLineEvery > 0)
        {
            for (var i = badLineEvery; i < lines.Count; i += badLineEvery)
            {
                lines.Insert(i, "{\"verb\": broken");
            }
        }

        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static List<string> Sequential(string file)
    {
        using var reader = JsonLinesReader.OpenFile(file);
        return Describe(reader.ReadRecords());
    }

    private static List<string> Describe(IEnumerable<AuditLogRecord> records) =>
        records.Select(r => r.Event is { } e ? $"{e.File}:{e.Line}:{e.AuditId}:{e.Stage}" : $"{r.Error!.File}:{r.Error.Line}:{r.Error.Code}").ToList();
}
