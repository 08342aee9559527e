namespace KubeAudit.Core.Stores.ClickHouse;

/// <summary>
/// The table events go into: the filter columns typed, the original JSON kept in <c>event</c>. ReplacingMergeTree keyed on
/// (auditID, stage, id) folds a re-sent event into the one stored (<c>id</c> is <see cref="DocumentId"/>, which also tells
/// apart events without an auditID); queries read with FINAL so a duplicate not yet merged away is never counted.
/// </summary>
/// <remarks>
/// Written for 18.16 and current releases alike: no DateTime64 (20.1) or LowCardinality (18.12 experimental), so the
/// time is Int64 microseconds since the epoch (exact for audit MicroTime) beside a DateTime for partitions.
/// </remarks>
public static class ClickHouseSchema
{
    /// <summary>The columns, in the order rows are written.</summary>
    public static readonly string[] Columns =
    [
        "time", "timeMicros", "auditID", "stage", "id", "level", "verb", "user", "groups", "impersonatedUser", "impersonatedGroups",
        "resource", "subresource", "resourcePath", "apiGroup", "namespace", "name", "code", "sourceIPs", "userAgent", "requestURI",
        "source", "line", "event",
    ];

    /// <summary>CREATE TABLE IF NOT EXISTS for <paramref name="table"/> (already quoted).</summary>
    public static string CreateTable(string table) => $"""
        CREATE TABLE IF NOT EXISTS {table}
        (
            `time` DateTime('UTC'),
            `timeMicros` Nullable(Int64),
            `auditID` String,
            `stage` String,
            `id` String,
            `level` Nullable(String),
            `verb` Nullable(String),
            `user` Nullable(String),
            `groups` Array(String),
            `impersonatedUser` Nullable(String),
            `impersonatedGroups` Array(String),
            `resource` Nullable(String),
            `subresource` Nullable(String),
            `resourcePath` Nullable(String),
            `apiGroup` Nullable(String),
            `namespace` Nullable(String),
            `name` Nullable(String),
            `code` Nullable(Int32),
            `sourceIPs` Array(String),
            `userAgent` Nullable(String),
            `requestURI` Nullable(String),
            `source` String,
            `line` UInt64,
            `event` String
        )
        ENGINE = ReplacingMergeTree()
        PARTITION BY toYYYYMM(`time`)
        ORDER BY (`auditID`, `stage`, `id`)
        """;

    /// <summary>Splits <c>[database.]table</c> into quoted identifiers; only letters, digits and _ are taken.</summary>
    public static (string? Database, string Table) ParseTarget(string target)
    {
        var parts = target.Split('.');
        if (parts.Length is < 1 or > 2 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new ArgumentException($"'{target}' is not a ClickHouse table name ([database.]table, letters, digits and _).", nameof(target));
        }

        return parts.Length == 2 ? ($"`{parts[0]}`", $"`{parts[0]}`.`{parts[1]}`") : (null, $"`{parts[0]}`");
    }
}
