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
/// <c>regexp</c> with <c>case_insensitive</c> (Elasticsearch 7.10+, every OpenSearch), written by <see cref="WildcardDialect"/>
/// from the same parse as the file filter's; times as a range on <c>@timestamp</c>. One case needs a field only KubeAudit
/// writes: a resource pattern whose '/' stands only inside a set (<c>pods[/]exec</c>) is matched on
/// <c>kubeaudit.resource_path</c>, which documents from Elastic's own integration lack.
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

        All(w, () =>
        {
            Terms(w, Audit + "verb", f.Verbs);
            Terms(w, Audit + "level", f.Levels);
            Terms(w, Audit + "stage", f.Stages);
            Terms(w, Audit + "auditID", f.AuditIds);
            Terms(w, Audit + "responseStatus.code", f.StatusCodes, static (w, code) => w.WriteNumberValue(code));
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
        });
    }

    private static void Terms(Utf8JsonWriter w, string field, IReadOnlyList<string> values) =>
        Terms(w, field, values, static (w, v) => w.WriteStringValue(v));

    // Exact values: any of them.
    private static void Terms<T>(Utf8JsonWriter w, string field, IReadOnlyList<T> values, Action<Utf8JsonWriter, T> write)
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
            write(w, v);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // One dimension: any pattern on any of the fields.
    private static void AnyGlob(Utf8JsonWriter w, IReadOnlyList<string> patterns, string[] fields) =>
        AnyPattern(w, patterns, (_, wildcard) =>
        {
            foreach (var field in fields)
            {
                GlobQuery(w, field, wildcard);
            }
        });

    // "pods" names the resource whatever the subresource; a pattern with a '/' names the resource path, as in the file
    // filter: cut at its '/' into resource and subresource (neither holds a '/'); a '/' only inside a set leaves the
    // pattern whole, for the path KubeAudit stores with each event that has a resource.
    private static void Resources(Utf8JsonWriter w, IReadOnlyList<string> patterns) =>
        AnyPattern(w, patterns, (pattern, wildcard) =>
        {
            if (!pattern.Contains('/'))
            {
                GlobQuery(w, Audit + "objectRef.resource", wildcard);
            }
            else if (wildcard.SplitAt('/') is var (resource, subresource))
            {
                All(w, () =>
                {
                    GlobQuery(w, Audit + "objectRef.resource", resource);
                    GlobQuery(w, Audit + "objectRef.subresource", subresource);
                });
            }
            else
            {
                All(w, () =>
                {
                    w.WriteStartObject();
                    w.WriteStartObject("exists");
                    w.WriteString("field", Audit + "objectRef.resource");
                    w.WriteEndObject();
                    w.WriteEndObject();
                    GlobQuery(w, "kubeaudit.resource_path", wildcard);
                });
            }
        });

    // One dimension's patterns, parsed, each writing its clauses: any one of them, none when there is no pattern.
    private static void AnyPattern(Utf8JsonWriter w, IReadOnlyList<string> patterns, Action<string, Wildcard> clauses)
    {
        if (patterns.Count > 0)
        {
            Should(w, () =>
            {
                foreach (var pattern in patterns)
                {
                    clauses(pattern, Wildcard.Parse(pattern));
                }
            });
        }
    }

    // A bool query of the clauses body writes: any one of them.
    private static void Should(Utf8JsonWriter w, Action body)
    {
        w.WriteStartObject();
        w.WriteStartObject("bool");
        w.WriteStartArray("should");
        body();
        w.WriteEndArray();
        w.WriteNumber("minimum_should_match", 1);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // A bool query of the clauses body writes: all of them.
    private static void All(Utf8JsonWriter w, Action body)
    {
        w.WriteStartObject();
        w.WriteStartObject("bool");
        w.WriteStartArray("filter");
        body();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // Exact text as term, no set as wildcard, else a Lucene regexp (flags NONE: its optional operators off); all ignoring case.
    private static void GlobQuery(Utf8JsonWriter w, string field, Wildcard wildcard)
    {
        w.WriteStartObject();
        if (wildcard.Literal is { } literal)
        {
            w.WriteStartObject("term");
            w.WriteStartObject(field);
            w.WriteString("value", literal);
        }
        else if (!wildcard.HasSet)
        {
            w.WriteStartObject("wildcard");
            w.WriteStartObject(field);
            w.WriteString("value", WildcardDialect.ElasticsearchWildcard.Render(wildcard));
        }
        else
        {
            w.WriteStartObject("regexp");
            w.WriteStartObject(field);
            w.WriteString("value", WildcardDialect.LuceneRegexp.Render(wildcard));
            w.WriteString("flags", "NONE");
        }

        w.WriteBoolean("case_insensitive", true);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
