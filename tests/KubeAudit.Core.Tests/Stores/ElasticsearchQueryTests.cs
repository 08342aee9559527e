using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Stores.Elasticsearch;

namespace KubeAudit.Core.Tests.Stores;

/// <summary>
/// The filters compiled into Elasticsearch queries. Besides the shape, each compiled query is run here, by a small
/// evaluator of the clauses it uses (bool, term, terms, wildcard, regexp, range; keyword semantics), over the ECS documents
/// of the corpus, and must keep exactly the events <see cref="AuditEventFilter.Matches"/> keeps on the file.
/// </summary>
public class ElasticsearchQueryTests
{
    private static readonly Lazy<List<(AuditEvent Event, JsonObject Doc)>> s_corpus = new(LoadCorpus);

    public static TheoryData<string> Filters() =>
    [
        "verb=create",
        "verb=get,list",
        "user=system:serviceaccount:*",
        "user=ADMIN",
        "user=system:admin;impersonated",
        "group=system:masters",
        "group=system:serviceaccounts:kube-*",
        "resource=pods",
        "resource=pods/exec",
        "resource=*/status",
        "resource=[cs]ecrets",
        "resource=p?ds/*",
        "resource=pods`/exec",
        "resource=pods[/]exec",
        "resource=*[/]status",
        "namespace=kube-*",
        "name=?*",
        "code=403,404",
        "code=201",
        "level=Metadata",
        "stage=ResponseComplete",
        "verb=create;namespace=default;resource=pods",
        "since",
        "until",
        "auditid",
    ];

    [Fact]
    public void ToJson_EmptyFilter_MatchAll() => Assert.Equal("{\"match_all\":{}}", ElasticsearchQuery.ToJson(new AuditEventFilter()));

    [Fact]
    public void ToJson_VerbsAndWildcardUser_TermsAndCaseInsensitiveWildcardInFilter()
    {
        var query = JsonNode.Parse(ElasticsearchQuery.ToJson(new AuditEventFilter { Verbs = ["create", "delete"], Users = ["system:serviceaccount:kube-*"] }))!;

        var filter = query["bool"]!["filter"]!.AsArray();
        Assert.Equal("[\"create\",\"delete\"]", filter[0]!["terms"]!["kubernetes.audit.verb"]!.ToJsonString());
        var wildcard = filter[1]!["bool"]!["should"]![0]!["wildcard"]!["kubernetes.audit.user.username"]!;
        Assert.Equal("system:serviceaccount:kube-*", (string?)wildcard["value"]);
        Assert.True((bool)wildcard["case_insensitive"]!);
    }

    [Fact]
    public void ToJson_SubresourcePattern_ResourceAndSubresourceBothRequired()
    {
        var query = JsonNode.Parse(ElasticsearchQuery.ToJson(new AuditEventFilter { Resources = ["pods/exec"] }))!;

        var both = query["bool"]!["filter"]![0]!["bool"]!["should"]![0]!["bool"]!["filter"]!.AsArray();
        Assert.Equal("pods", (string?)both[0]!["term"]!["kubernetes.audit.objectRef.resource"]!["value"]);
        Assert.Equal("exec", (string?)both[1]!["term"]!["kubernetes.audit.objectRef.subresource"]!["value"]);
    }

    [Fact]
    public void ToJson_SinceUntil_RangeOnTimestampInUtc()
    {
        var since = new DateTimeOffset(2026, 3, 4, 8, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);
        var query = JsonNode.Parse(ElasticsearchQuery.ToJson(new AuditEventFilter { Since = since, Until = since.AddHours(1) }))!;

        var range = query["bool"]!["filter"]![0]!["range"]!["@timestamp"]!;
        Assert.Equal("2026-03-04T06:00:00.1234567Z", (string?)range["gte"]);
        Assert.Equal("2026-03-04T07:00:00.1234567Z", (string?)range["lte"]);
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public void CompiledQuery_OverTheCorpusDocuments_KeepsExactlyWhatTheFileFilterKeeps(string spec)
    {
        var filter = Parse(spec);
        var query = JsonNode.Parse(ElasticsearchQuery.ToJson(filter))!;

        var expected = s_corpus.Value.Where(x => filter.Matches(x.Event)).Select(x => x.Event.Location).ToList();
        var actual = s_corpus.Value.Where(x => Evaluate(query, x.Doc)).Select(x => x.Event.Location).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    private static AuditEventFilter Parse(string spec)
    {
        var events = s_corpus.Value.Select(x => x.Event).Where(e => e.Time is not null).OrderBy(e => e.Time).ToList();
        var middle = events[events.Count / 2].Time;
        switch (spec)
        {
            case "since":
                return new AuditEventFilter { Since = middle };
            case "until":
                return new AuditEventFilter { Until = middle };
            case "auditid":
                return new AuditEventFilter { AuditIds = [events[3].AuditId!, events[^4].AuditId!] };
        }

        var parts = spec.Split(';').Select(p => p.Split('=', 2)).ToList();
        string[] Values(string key) => parts.FirstOrDefault(p => p[0] == key)?[1].Split(',') ?? [];
        return new AuditEventFilter
        {
            Verbs = Values("verb"),
            Users = Values("user"),
            Groups = Values("group"),
            Resources = Values("resource"),
            Namespaces = Values("namespace"),
            Names = Values("name"),
            StatusCodes = Values("code").Select(int.Parse).ToList(),
            Levels = Values("level"),
            Stages = Values("stage"),
            IncludeImpersonated = parts.Any(p => p[0] == "impersonated"),
        };
    }

    private static List<(AuditEvent, JsonObject)> LoadCorpus()
    {
        var list = new List<(AuditEvent, JsonObject)>();
        var files = Directory.EnumerateFiles(TestPaths.CorpusFile("events"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Append(Path.Combine(TestPaths.RepositoryRoot, "tests", "fixtures", "ecs", "events.jsonl"))
            .Append(Path.Combine(TestPaths.RepositoryRoot, "samples", "audit.log"));
        foreach (var file in files)
        {
            using var reader = JsonLinesReader.OpenFile(file);
            foreach (var record in reader.ReadRecords())
            {
                if (record.Event is { } ev && !ev.GetUtf8Json().IsEmpty && ev.GetUtf8Json().Span.IndexOf("\"protoPayload\""u8) < 0)
                {
                    list.Add((ev, EcsDocumentTests.Map(ev, includeOriginal: false)));
                }
            }
        }

        return list;
    }

    // Elasticsearch semantics for the clauses the compiler writes, on keyword/long/date fields.
    private static bool Evaluate(JsonNode query, JsonObject doc)
    {
        var (kind, body) = query.AsObject().Single();
        switch (kind)
        {
            case "match_all":
                return true;
            case "bool":
                var filters = body!["filter"]?.AsArray() ?? [];
                var should = body["should"]?.AsArray();
                return filters.All(f => Evaluate(f!, doc)) && (should is null || should.Any(s => Evaluate(s!, doc)));
            case "terms":
            {
                var (field, values) = body!.AsObject().Single();
                return Values(doc, field).Any(v => values!.AsArray().Any(t => t!.ToJsonString() == v.ToJsonString()));
            }

            case "term" or "wildcard" or "regexp":
            {
                var (field, spec) = body!.AsObject().Single();
                var value = (string)spec!["value"]!;
                var options = (bool?)spec["case_insensitive"] == true ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.None;
                var regex = kind switch
                {
                    "term" => "^" + Regex.Escape(value) + "$",
                    "wildcard" => "^" + Regex.Replace(value, @"\\(.)|\*|\?|[^\\*?]+", m => m.Value == "*" ? ".*" : m.Value == "?" ? "." : Regex.Escape(m.Groups[1].Success ? m.Groups[1].Value : m.Value)) + "$",
                    _ => "^" + value + "$", // the compiler's Lucene output is also a valid .NET pattern
                };
                return Values(doc, field).Any(v => v.GetValueKind() == System.Text.Json.JsonValueKind.String && Regex.IsMatch((string)v!, regex, options | RegexOptions.Singleline));
            }

            case "exists":
                return Values(doc, (string)body!["field"]!).Any();
            case "range":
            {
                var (field, spec) = body!.AsObject().Single();
                return Values(doc, field).Any(v =>
                {
                    var at = DateTimeOffset.Parse((string)v!, CultureInfo.InvariantCulture);
                    return (spec!["gte"] is not { } gte || at >= DateTimeOffset.Parse((string)gte!, CultureInfo.InvariantCulture))
                        && (spec["lte"] is not { } lte || at <= DateTimeOffset.Parse((string)lte!, CultureInfo.InvariantCulture));
                });
            }

            default:
                throw new NotSupportedException(kind);
        }
    }

    private static IEnumerable<JsonNode> Values(JsonObject doc, string field)
    {
        JsonNode? node = doc;
        foreach (var key in field.Split('.'))
        {
            node = node is JsonObject o ? o[key] : null;
        }

        return node switch
        {
            null => [],
            JsonArray a => a.Where(x => x is not null).Select(x => x!),
            _ => [node],
        };
    }
}
