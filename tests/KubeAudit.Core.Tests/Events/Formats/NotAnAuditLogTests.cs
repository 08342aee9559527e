using System.Text;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Formats;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>A binary file, an image or other text: one "not an audit log" error, and no raw bytes in any error.</summary>
public class NotAnAuditLogTests
{
    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // What a PNG starts with: the signature, then the IHDR chunk, then compressed bytes.
    private static byte[] Png() =>
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, .. RandomBytes(20_000, 7)];

    public static TheoryData<string> NotLogs => ["random", "png", "text", "gzip-random"];

    private static byte[] Input(string kind) => kind switch
    {
        "random" => RandomBytes(200_000, 1),
        "png" => Png(),
        "text" => Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(1, 5000).Select(i => $"nope, line {i}: the \u0007quick brown fox \u001b[31mjumps\u001b[0m."))),
        "gzip-random" => Gzip(RandomBytes(100_000, 3)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    [Theory]
    [MemberData(nameof(NotLogs))]
    public void NotALog_GivesOneError(string kind)
    {
        var records = ReadBytes(Input(kind), "input.bin");

        var error = Assert.Single(records).Error!;
        Assert.Equal(DiagnosticCodes.NotAnAuditLog, error.Code);
        Assert.StartsWith("The input is not an audit log: the first 5 records could not be read", error.Message, StringComparison.Ordinal);
        Assert.Equal("input.bin", error.File);
        Assert.Equal(1, error.Line);
    }

    [Theory]
    [MemberData(nameof(NotLogs))]
    public void NoRawBytesReachAnError(string kind)
    {
        var error = Assert.Single(ReadBytes(Input(kind), "input.bin")).Error!;

        foreach (var text in new[] { error.Message, error.Snippet ?? string.Empty })
        {
            Assert.DoesNotContain(text, c => char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD');
        }
    }

    [Fact]
    public void ShortTextFile_OneError()
    {
        var error = Assert.Single(Read("hello\nworld\n")).Error!;

        Assert.Equal(DiagnosticCodes.NotAnAuditLog, error.Code);
        Assert.Contains("all 2 of its records", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALogWithAFewBadLinesFirst_IsStillReadWhole()
    {
        var text = "garbage one\ngarbage two\n" + EventJson("get", "e1") + "\nmore garbage\n" + EventJson("list", "e2") + "\n";

        var records = Read(text);

        Assert.Equal([DiagnosticCodes.InvalidJson, DiagnosticCodes.InvalidJson, "e1", DiagnosticCodes.InvalidJson, "e2"], records.Select(r => r.Event?.AuditId ?? r.Error!.Code));
    }

    [Fact]
    public void JsonLogWithManyBadLines_IsNotCutShort()
    {
        // Starts like a JSON log: every line gets its own answer, however many are bad.
        var text = EventJson("get", "e1") + "\n" + string.Concat(Enumerable.Repeat("{\"not\":\"an event\"}\n", 20)) + EventJson("list", "e2") + "\n";

        Assert.Equal(22, Read(text).Count);
    }

    [Fact]
    public void Snippets_AreEscapedToPrintableText()
    {
        var line = Encoding.UTF8.GetBytes("{\"kind\":\"Event\",\"verb\":5,\"x\":\"\u001b[2J\u202e\"}\n").Concat(new byte[] { 0xFF, 0xFE, (byte)'\n' }).ToArray();

        var records = ReadBytes(line);

        Assert.Equal("{\"kind\":\"Event\",\"verb\":5,\"x\":\"\\u001B[2J\\u202E\"}", records[0].Error!.Snippet);
        Assert.Equal("\\xFF\\xFE", records[1].Error!.Snippet);
        Assert.Equal("a\\tb\\n…", PrintableText.Of("a\tb\nc"u8, 5));
    }
}

/// <summary>Text handed over as strings (ConvertFrom-KubeAuditEvent) is judged the same way.</summary>
public class NotAnAuditLogTextTests
{
    [Fact]
    public void ReadText_OtherText_OneError_LogText_Untouched()
    {
        var lines = Enumerable.Range(1, 100).Select(i => $"line {i} of a README").ToList();

        var error = Assert.Single(AuditSource.ReadText(lines, "README")).Error!;
        Assert.Equal(DiagnosticCodes.NotAnAuditLog, error.Code);

        var log = AuditSource.ReadText(["", "garbage", EventJson("get", "e1")], null).ToList();
        Assert.Equal([DiagnosticCodes.InvalidJson, "e1"], log.Select(r => r.Event?.AuditId ?? r.Error!.Code));
    }
}

/// <summary>ConvertFrom-KubeAuditEvent pushes text through a feed: the writer must never wait on a reader that stopped.</summary>
public class NotAnAuditLogFeedTests
{
    [Fact]
    public async Task TextFeed_KeepsTakingInputAfterTheError()
    {
        using var feed = new Core.Events.TextFeed("pipe");
        var records = new List<Core.Events.AuditLogRecord>();
        var pushing = Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                records.AddRange(feed.Push($"plain text line {i}"));
            }

            records.AddRange(feed.Complete());
        });

        var finished = await Task.WhenAny(pushing, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(finished == pushing, "the feed stopped taking input");
        Assert.Equal(DiagnosticCodes.NotAnAuditLog, Assert.Single(records).Error!.Code);
    }
}
