using System.Text;
using KubeAudit.Core.Events;

namespace KubeAudit.Core.Tests;

internal static class ReaderHelpers
{
    public static List<AuditLogRecord> ReadText(string text, string? file = "test.log") =>
        ReadBytes(Encoding.UTF8.GetBytes(text), file);

    public static List<AuditLogRecord> ReadBytes(byte[] bytes, string? file = "test.log")
    {
        using var reader = new JsonLinesReader(new MemoryStream(bytes), file);
        return reader.ReadRecords().ToList();
    }

    public static AuditEvent ParseOne(string json)
    {
        var ev = new AuditEventParser().Parse(Encoding.UTF8.GetBytes(json), "x.log", 1, out var error);
        Assert.Null(error);
        return ev!;
    }
}
