using KubeAudit.Core.Events;
using KubeAudit.LogGenerator;

namespace KubeAudit.Core.Tests.Samples;

/// <summary>The shipped sample log is the generator's output, and the reader takes all of it.</summary>
public class SampleLogTests
{
    private static string SampleLog => Path.Combine(TestPaths.RepositoryRoot, "samples", "audit.log");

    [Fact]
    public void SampleLog_IsExactlyWhatTheGeneratorWrites()
    {
        // The README's command: --count 2000 --seed 1.
        using var generated = new MemoryStream();
        AuditLogGenerator.Write(generated, new GeneratorOptions { Count = 2000, Seed = 1 });

        Assert.Equal(File.ReadAllBytes(SampleLog), generated.ToArray());
    }

    [Fact]
    public void Generator_SameSeed_SameBytes_OtherSeed_OtherBytes()
    {
        static byte[] Generate(int seed)
        {
            using var stream = new MemoryStream();
            AuditLogGenerator.Write(stream, new GeneratorOptions { Count = 300, Seed = seed });
            return stream.ToArray();
        }

        Assert.Equal(Generate(7), Generate(7));
        Assert.NotEqual(Generate(7), Generate(8));
    }

    [Fact]
    public void SampleLog_ReadsWithoutErrors_AndHasARealisticMix()
    {
        using var reader = JsonLinesReader.OpenFile(SampleLog);
        var records = reader.ReadRecords().ToList();

        Assert.All(records, r => Assert.Null(r.Error));
        var events = records.Select(r => r.Event!).ToList();
        Assert.Equal(2000, events.Count);
        Assert.Contains(events, e => e.Verb == "create" && e.RequestObject is not null);
        Assert.Contains(events, e => e.Level == "RequestResponse" && e.ResponseObject is not null);
        Assert.Contains(events, e => e.Code >= 400);
        Assert.Contains(events, e => e.ObjectRef is null && e.RequestUri!.StartsWith('/'));
        Assert.Contains(events, e => e.Stage == "RequestReceived");
        Assert.True(events.Select(e => e.Username).Distinct().Count() > 10);
        Assert.All(events, e => Assert.NotNull(e.RequestReceivedTimestamp));
    }
}
