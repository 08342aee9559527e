using System.Text;
using System.Text.RegularExpressions;
using KubeAudit.Core.Events;
using KubeAudit.LogGenerator;

namespace KubeAudit.Core.Tests.Events.Follow;

/// <summary>Realistic event lines (from the generator) whose auditID encodes a sequence number.</summary>
internal static partial class AuditLines
{
    private static readonly string[] s_templates = LoadTemplates();

    public static string Line(int id) =>
        AuditIdPattern().Replace(s_templates[id % s_templates.Length], $"\"auditID\":\"{IdOf(id)}\"", 1) + "\n";

    public static byte[] Bytes(int id) => Encoding.UTF8.GetBytes(Line(id));

    /// <summary>The line of <paramref name="id"/> with an extra field of <paramref name="padding"/> bytes in front.</summary>
    public static string Padded(int id, int padding) => "{\"pad\":\"" + new string('x', padding) + "\"," + Line(id)[1..];

    public static string IdOf(int id) => $"00000000-0000-4000-8000-{id:D12}";

    /// <summary>The sequence numbers of the events read; -1 for a record without an event.</summary>
    public static List<int> Ids(IEnumerable<AuditLogRecord> records) =>
        records.Select(r => r.Event?.AuditId is { } a ? int.Parse(a[^12..], CultureInfo.InvariantCulture) : -1).ToList();

    public static List<int> Range(int start, int count) => Enumerable.Range(start, count).ToList();

    /// <summary>Asserts the records are exactly events start..start+count-1, saying where not.</summary>
    public static void AssertSequence(int start, int count, IReadOnlyList<AuditLogRecord> records)
    {
        var ids = Ids(records);
        if (ids.SequenceEqual(Enumerable.Range(start, count)))
        {
            return;
        }

        var problems = new List<string>();
        for (var i = 0; i < ids.Count && problems.Count < 8; i++)
        {
            var expected = i == 0 ? start : ids[i - 1] + 1;
            if (ids[i] != expected)
            {
                problems.Add($"at {i}: {ids[i]} after {(i == 0 ? "start" : ids[i - 1].ToString(CultureInfo.InvariantCulture))} " +
                    $"(from {records[i].Event?.File ?? records[i].Error?.ToString()}:{records[i].Event?.Line}; " +
                    $"previous from {(i == 0 ? "-" : records[i - 1].Event?.File)}:{(i == 0 ? 0 : records[i - 1].Event?.Line)})");
            }
        }

        Assert.Fail($"expected {count} events from {start}, got {ids.Count}: {string.Join("; ", problems)}");
    }

    private static string[] LoadTemplates()
    {
        using var stream = new MemoryStream();
        AuditLogGenerator.Write(stream, new GeneratorOptions { Count = 300, Seed = 3 });
        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex("\"auditID\":\"[^\"]*\"")]
    private static partial Regex AuditIdPattern();
}
