namespace KubeAudit.Core.Events.Formats;

/// <summary>What one legacy text line carries: its timestamp and its <c>key="value"</c> pairs, unquoted once.</summary>
internal sealed class LegacyLine
{
    public LegacyLine(DateTimeOffset timestamp, Dictionary<string, string> fields, long line)
    {
        Timestamp = timestamp;
        Fields = fields;
        Line = line;
    }

    public DateTimeOffset Timestamp { get; }

    /// <summary>Values by key (<c>id</c>, <c>stage</c>, <c>ip</c>, <c>method</c>, <c>user</c>, ...).</summary>
    public Dictionary<string, string> Fields { get; }

    public long Line { get; }

    public string? Id => Get("id");

    /// <summary>
    /// A pre-1.7 basic-audit request line: it has request fields but no <c>response=</c>,
    /// which came on a separate line with the same id.
    /// </summary>
    public bool IsBasicRequest => !Fields.ContainsKey("response");

    /// <summary>A pre-1.7 basic-audit response line: only <c>id=</c> and <c>response=</c>.</summary>
    public bool IsBasicResponse =>
        Fields.ContainsKey("response") && !Fields.ContainsKey("method") && !Fields.ContainsKey("uri") && !Fields.ContainsKey("user");

    public string? Get(string key) => Fields.TryGetValue(key, out var value) ? value : null;
}
