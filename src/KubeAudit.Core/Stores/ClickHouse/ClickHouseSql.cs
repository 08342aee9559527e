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
    /// A condition that <paramref name="column"/> matches the PowerShell wildcard <paramref name="pattern"/>, case-insensitively.
    /// </summary>
    public static string Glob(string column, string pattern)
    {
        var glob = new Glob(pattern);
        if (glob.Literal is { } literal)
        {
            return $"lowerUTF8({column}) = {Literal(literal.ToLowerInvariant())}";
        }

        return pattern.Contains('[') ? $"match({column}, {Literal(ToRegex(pattern))})" : $"lowerUTF8({column}) LIKE {Literal(ToLike(pattern).ToLowerInvariant())}";
    }

    /// <summary>The LIKE pattern for a wildcard without sets: <c>*</c> is <c>%</c>, <c>?</c> is <c>_</c>, literal <c>%</c> <c>_</c> <c>\</c> escaped.</summary>
    public static string ToLike(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 4);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '`' && i + 1 < pattern.Length)
            {
                c = pattern[++i];
                AppendLikeLiteral(sb, c);
                continue;
            }

            switch (c)
            {
                case '*': sb.Append('%'); break;
                case '?': sb.Append('_'); break;
                default: AppendLikeLiteral(sb, c); break;
            }
        }

        return sb.ToString();
    }

    // RE2 syntax, anchored, case-insensitive and dot-matches-newline as the file filter's .NET regex.
    private static string ToRegex(string pattern)
    {
        var rx = new StringBuilder("(?is)^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    AppendRegexLiteral(rx, pattern[++i]);
                    break;
                case '*':
                    rx.Append(".*");
                    break;
                case '?':
                    rx.Append('.');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        rx.Append(@"\[");
                        break;
                    }

                    rx.Append('[');
                    foreach (var s in pattern[(i + 1)..close])
                    {
                        rx.Append(s is '\\' or '^' or '[' or ']' ? "\\" + s : s.ToString());
                    }

                    rx.Append(']');
                    i = close;
                    break;
                default:
                    AppendRegexLiteral(rx, c);
                    break;
            }
        }

        return rx.Append('$').ToString();
    }

    private static void AppendLikeLiteral(StringBuilder sb, char c)
    {
        if (c is '%' or '_' or '\\')
        {
            sb.Append('\\');
        }

        sb.Append(c);
    }

    private static void AppendRegexLiteral(StringBuilder rx, char c)
    {
        if (char.IsLetterOrDigit(c) || c > 127)
        {
            rx.Append(c);
        }
        else
        {
            rx.Append('\\').Append(c);
        }
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
