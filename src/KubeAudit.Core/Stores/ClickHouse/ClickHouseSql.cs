using System.Globalization;
using System.Text;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Stores.ClickHouse;

/// <summary>
/// Compiles an <see cref="AuditEventFilter"/> into a ClickHouse WHERE clause with the file filter's meaning: exact verbs,
/// levels, stages and IDs; case-insensitive wildcards (<c>*</c> <c>?</c> as LIKE, <c>[abc]</c> as an RE2 match); a NULL
/// column never matches. Values become escaped literals: 18.16 has no query parameters (they came in 19.x).
/// </summary>
public static class ClickHouseSql
{
    /// <summary>The WHERE clause (without the keyword) for <paramref name="filter"/>; <c>1</c> when it keeps all.</summary>
    public static string Where(AuditEventFilter filter)
    {
        var parts = new List<string>();
        AddIn(parts, "verb", filter.Verbs);
        AddIn(parts, "level", filter.Levels);
        AddIn(parts, "stage", filter.Stages);
        AddIn(parts, "auditID", filter.AuditIds);
        if (filter.StatusCodes.Count > 0)
        {
            parts.Add("`code` IN (" + string.Join(", ", filter.StatusCodes.Select(c => c.ToString(CultureInfo.InvariantCulture))) + ")");
        }

        if (filter.Users.Count > 0)
        {
            var user = AnyGlob("`user`", filter.Users);
            parts.Add(filter.IncludeImpersonated ? $"({user} OR {AnyGlob("`impersonatedUser`", filter.Users)})" : user);
        }

        if (filter.Groups.Count > 0)
        {
            var groups = $"arrayExists(g -> {AnyGlob("g", filter.Groups)}, `groups`)";
            parts.Add(filter.IncludeImpersonated ? $"({groups} OR arrayExists(g -> {AnyGlob("g", filter.Groups)}, `impersonatedGroups`))" : groups);
        }

        if (filter.Namespaces.Count > 0)
        {
            parts.Add(AnyGlob("`namespace`", filter.Namespaces));
        }

        if (filter.Names.Count > 0)
        {
            parts.Add(AnyGlob("`name`", filter.Names));
        }

        if (filter.Resources.Count > 0)
        {
            // "pods" names the resource whatever the subresource; "pods/exec" and "*/exec" name the pair.
            parts.Add("(" + string.Join(" OR ", filter.Resources.Select(r => Glob(r.Contains('/') ? "`resourcePath`" : "`resource`", r))) + ")");
        }

        if (filter.Since is { } since)
        {
            parts.Add("`timeMicros` >= " + CeilingMicros(since).ToString(CultureInfo.InvariantCulture));
        }

        if (filter.Until is { } until)
        {
            parts.Add("`timeMicros` <= " + FloorMicros(until).ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? "1" : string.Join(" AND ", parts);
    }

    /// <summary>A string literal: quotes, backslashes and control characters escaped, so no value can leave it.</summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\'': sb.Append("\\'"); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('\'').ToString();
    }

    /// <summary>
    /// A condition that <paramref name="column"/> matches the PowerShell wildcard <paramref name="pattern"/>, case-insensitively:
    /// equality without wildcards, LIKE without sets, else an RE2 <c>match()</c>.
    /// </summary>
    public static string Glob(string column, string pattern)
    {
        var wildcard = Wildcard.Parse(pattern);
        if (wildcard.Literal is { } literal)
        {
            return $"lowerUTF8({column}) = {Literal(literal.ToLowerInvariant())}";
        }

        return wildcard.HasSet
            ? $"match({column}, {Literal(WildcardDialect.Re2.Render(wildcard))})"
            : $"lowerUTF8({column}) LIKE {Literal(WildcardDialect.SqlLike.Render(wildcard).ToLowerInvariant())}";
    }

    private static void AddIn(List<string> parts, string column, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            parts.Add($"`{column}` IN (" + string.Join(", ", values.Select(Literal)) + ")");
        }
    }

    private static string AnyGlob(string column, IReadOnlyList<string> patterns) =>
        patterns.Count == 1 ? Glob(column, patterns[0]) : "(" + string.Join(" OR ", patterns.Select(p => Glob(column, p))) + ")";

    /// <summary>Microseconds since the Unix epoch, rounded down, as the table keeps event times (audit times are microsecond-precise).</summary>
    public static long FloorMicros(DateTimeOffset t)
    {
        var d = t.UtcTicks - DateTime.UnixEpoch.Ticks;
        return d >= 0 ? d / 10 : (d - 9) / 10;
    }

    private static long CeilingMicros(DateTimeOffset t)
    {
        var d = t.UtcTicks - DateTime.UnixEpoch.Ticks;
        return d >= 0 ? (d + 9) / 10 : d / 10;
    }
}
