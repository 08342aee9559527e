using System.Buffers;
using System.Text;
using System.Text.Json;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Stores.Ecs;

namespace KubeAudit.Core.Stores.Elasticsearch;

/// <summary>
/// An <see cref="AuditEventFilter"/> as an Elasticsearch bool query over the fields the ECS documents carry, so the store
/// gives exactly the events <see cref="AuditEventFilter.Matches"/> keeps: dimensions in <c>filter</c> (ANDed), the values
/// of one in <c>should</c> (ORed); exact values as <c>terms</c>; PowerShell wildcards as <c>term</c>, <c>wildcard</c> or
/// <c>regexp</c> with <c>case_insensitive</c> (Elasticsearch 7.10+, every OpenSearch); times as a range on <c>@timestamp</c>.
/// </summary>
public static class ElasticsearchQuery
{
    private const string Audit = "kubernetes.audit.";

    /// <summary>The query object (the value of <c>"query"</c>) as JSON.</summary>
    public static string ToJson(AuditEventFilter filter)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(filter, w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the query object as the writer's next value.</summary>
    public static void Write(AuditEventFilter f, Utf8JsonWriter w)
    {
        if (f.IsEmpty)
        {
            w.WriteStartObject();
            w.WriteStartObject("match_all");
            w.WriteEndObject();
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject();
        w.WriteStartObject("bool");
        w.WriteStartArray("filter");
        Terms(w, Audit + "verb", f.Verbs);
        Terms(w, Audit + "level", f.Levels);
        Terms(w, Audit + "stage", f.Stages);
        Terms(w, Audit + "auditID", f.AuditIds);
        if (f.StatusCodes.Count > 0)
        {
            w.WriteStartObject();
            w.WriteStartObject("terms");
            w.WriteStartArray(Audit + "responseStatus.code");
            foreach (var code in f.StatusCodes)
            {
                w.WriteNumberValue(code);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        AnyGlob(w, f.Users, f.IncludeImpersonated ? [Audit + "user.username", Audit + "impersonatedUser.username"] : [Audit + "user.username"]);
        AnyGlob(w, f.Groups, f.IncludeImpersonated ? [Audit + "user.groups", Audit + "impersonatedUser.groups"] : [Audit + "user.groups"]);
        AnyGlob(w, f.Namespaces, [Audit + "objectRef.namespace"]);
        AnyGlob(w, f.Names, [Audit + "objectRef.name"]);
        Resources(w, f.Resources);
        if (f.Since is not null || f.Until is not null)
        {
            w.WriteStartObject();
            w.WriteStartObject("range");
            w.WriteStartObject("@timestamp");
            if (f.Since is { } since)
            {
                w.WriteString("gte", EcsDocument.FormatTime(since));
            }

            if (f.Until is { } until)
            {
                w.WriteString("lte", EcsDocument.FormatTime(until));
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Terms(Utf8JsonWriter w, string field, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        w.WriteStartObject();
        w.WriteStartObject("terms");
        w.WriteStartArray(field);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // One dimension: any pattern on any of the fields.
    private static void AnyGlob(Utf8JsonWriter w, IReadOnlyList<string> patterns, string[] fields)
    {
        if (patterns.Count == 0)
        {
            return;
        }

        w.WriteStartObject();
        w.WriteStartObject("bool");
        w.WriteStartArray("should");
        foreach (var pattern in patterns)
        {
            foreach (var field in fields)
            {
                GlobQuery(w, field, pattern);
            }
        }

        w.WriteEndArray();
        w.WriteNumber("minimum_should_match", 1);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // "pods" names the resource whatever the subresource; "pods/exec" and "*/exec" name resource and subresource.
    private static void Resources(Utf8JsonWriter w, IReadOnlyList<string> patterns)
    {
        if (patterns.Count == 0)
        {
            return;
        }

        w.WriteStartObject();
        w.WriteStartObject("bool");
        w.WriteStartArray("should");
        foreach (var pattern in patterns)
        {
            var slash = SeparatorIndex(pattern);
            if (slash < 0)
            {
                GlobQuery(w, Audit + "objectRef.resource", pattern);
                continue;
            }

            w.WriteStartObject();
            w.WriteStartObject("bool");
            w.WriteStartArray("filter");
            GlobQuery(w, Audit + "objectRef.resource", pattern[..slash]);
            GlobQuery(w, Audit + "objectRef.subresource", pattern[(slash + 1)..]);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("minimum_should_match", 1);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // The first '/' that is neither escaped nor inside [...]: resources and subresources hold no '/', so it splits the two.
    private static int SeparatorIndex(string pattern)
    {
        var inSet = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '`':
                    i++;
                    break;
                case '[':
                    inSet = pattern.IndexOf(']', i + 1) > 0;
                    break;
                case ']':
                    inSet = false;
                    break;
                case '/' when !inSet:
                    return i;
            }
        }

        return -1;
    }

    private static void GlobQuery(Utf8JsonWriter w, string field, string pattern)
    {
        var glob = new Glob(pattern);
        w.WriteStartObject();
        if (glob.Literal is { } literal)
        {
            w.WriteStartObject("term");
            w.WriteStartObject(field);
            w.WriteString("value", literal);
        }
        else if (pattern.IndexOfAny(['[', ']']) < 0)
        {
            w.WriteStartObject("wildcard");
            w.WriteStartObject(field);
            w.WriteString("value", ToWildcard(pattern));
        }
        else
        {
            w.WriteStartObject("regexp");
            w.WriteStartObject(field);
            w.WriteString("value", ToRegexp(pattern));
            w.WriteString("flags", "NONE");
        }

        w.WriteBoolean("case_insensitive", true);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // PowerShell * ? and `x escapes to Elasticsearch wildcard syntax (* ? with \ escapes).
    internal static string ToWildcard(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 4);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '`' && i + 1 < pattern.Length)
            {
                Literal(sb, pattern[++i], "*?\\");
            }
            else if (c is '*' or '?')
            {
                sb.Append(c);
            }
            else
            {
                Literal(sb, c, "*?\\");
            }
        }

        return sb.ToString();
    }

    // PowerShell wildcards with [set] to a Lucene regular expression: anchored by Lucene; flags NONE turns off its optional operators, and every other special character is escaped.
    internal static string ToRegexp(string pattern)
    {
        const string special = ".?+*|{}[]()\"\\#@&<>~^$";
        var sb = new StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    Literal(sb, pattern[++i], special);
                    break;
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        Literal(sb, c, special);
                        break;
                    }

                    sb.Append('[');
                    foreach (var member in pattern[(i + 1)..close])
                    {
                        // A range keeps its dash; anything else in the set is taken literally.
                        if (member == '-')
                        {
                            sb.Append('-');
                        }
                        else
                        {
                            Literal(sb, member, special);
                        }
                    }

                    sb.Append(']');
                    i = close;
                    break;
                default:
                    Literal(sb, c, special);
                    break;
            }
        }

        return sb.ToString();
    }

    private static void Literal(StringBuilder sb, char c, string special)
    {
        if (special.Contains(c))
        {
            sb.Append('\\');
        }

        sb.Append(c);
    }
}
