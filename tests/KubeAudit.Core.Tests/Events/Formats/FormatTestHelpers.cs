using System.Text;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Formats;

namespace KubeAudit.Core.Tests.Events.Formats;

internal static class FormatTestHelpers
{
    public static List<AuditLogRecord> Read(string text, string? file = "test.log") =>
        ReadBytes(Encoding.UTF8.GetBytes(text), file);

    public static List<AuditLogRecord> ReadBytes(byte[] bytes, string? file = "test.log")
    {
        using var stream = new MemoryStream(bytes);
        return AuditSource.Read(stream, file).ToList();
    }

    public static List<AuditEvent> Events(this IEnumerable<AuditLogRecord> records) =>
        records.Where(r => r.Event is not null).Select(r => r.Event!).ToList();

    public static AuditEvent Single(string text) => Assert.Single(Read(text).Events());

    public static string Corpus(params string[] parts) => TestPaths.CorpusFile(["events", .. parts]);

    /// <summary>A compact audit.k8s.io/v1 event line for hand-made fixtures.</summary>
    public static string EventJson(string verb = "get", string auditId = "a1", string uri = "/api/v1/pods") =>
        $"{{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"{auditId}\",\"stage\":\"ResponseComplete\",\"requestURI\":\"{uri}\",\"verb\":\"{verb}\",\"user\":{{\"username\":\"alice\"}},\"responseStatus\":{{\"metadata\":{{}},\"code\":200}}}}";

    /// <summary>A JSON string literal holding <paramref name="text"/>.</summary>
    public static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
