using System.Text.Json;
using System.Text.Json.Nodes;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Stores;
using KubeAudit.Core.Stores.Elasticsearch;

namespace KubeAudit.Core.Tests.Stores;

/// <summary>
/// Streaming query results: point in time + search_after on Elasticsearch, scroll on OpenSearch and old Elasticsearch,
/// against answers in the shapes Elasticsearch's documentation shows (the point-in-time and scroll ids are its examples';
/// the _source of each hit is ours, what the sender stores). No server here.
/// </summary>
public class ElasticsearchQueryPagingTests
{
    // Elasticsearch reference, "Paginate search results" (point in time) and "Scroll search results".
    private const string PitId = "46ToAwMDaWR5BXV1aWQyKwZub2RlXzMAAAAAAAAAACoBYwADaWR4BXV1aWQxAgZub2RlXzEAAAAAAAAAAAEBYQADaWR5BXV1aWQyKgZub2RlXzIAAAAAAAAAAAwBYgACBXV1aWQyAAAFdXVpZDEAAQltYXRjaF9hbGw_gAAAAA==";
    private const string ScrollId = "DXF1ZXJ5QW5kRmV0Y2gBAAAAAAAAAD4WYm9laVYtZndUQlNsdDcwakFMNjU1QQ==";

    [Fact]
    public void Query_Elasticsearch_PagesWithPointInTimeAndSearchAfterThenClosesIt()
    {
        var events = ElasticsearchSendTests.FixtureEvents();
        using var server = new CannedHttpServer(r => (r.Method, r.Path) switch
        {
            ("POST", "/kube-audit/_pit") => (200, "{\"id\":\"" + PitId + "\"}"),
            ("POST", "/_search") => (200, SearchPage(events, r.Body)),
            ("DELETE", "/_pit") => (200, "{\"succeeded\":true,\"num_freed\":1}"),
            _ => (400, "{\"error\":\"unexpected " + r.Method + " " + r.Path + "\",\"status\":400}"),
        });
        using var store = new ElasticsearchStore(ElasticsearchSendTests.Connection(server.Uri)) { PageSize = 2 };

        var records = store.Query(new AuditEventFilter { Verbs = ["get", "update", "create"] }, CancellationToken.None).ToList();

        Assert.Equal(events.Select(e => e.AuditId), records.Select(r => r.Event!.AuditId));
        Assert.Equal(events.Select(e => e.ToJson()), records.Select(r => r.Event!.ToJson()));
        Assert.Equal(server.Uri + "kube-audit", records[0].Event!.File);
        Assert.Equal([1L, 2, 3, 4], records.Select(r => r.Event!.Line));
        Assert.Equal(["POST /kube-audit/_pit", "POST /_search", "POST /_search", "POST /_search", "DELETE /_pit"], server.Requests.Select(r => r.Method + " " + r.Path));
        Assert.Contains("keep_alive=2m", server.Requests[0].Url);

        var first = JsonNode.Parse(server.Requests[1].Body)!;
        Assert.Equal(PitId, (string?)first["pit"]!["id"]);
        Assert.Null(first["search_after"]);
        Assert.Equal("[{\"@timestamp\":{\"order\":\"asc\"}},{\"_shard_doc\":\"asc\"}]", first["sort"]!.ToJsonString());
        Assert.Equal("[\"event.original\"]", first["_source"]!.ToJsonString());
        Assert.Equal("[\"get\",\"update\",\"create\"]", first["query"]!["bool"]!["filter"]![0]!["terms"]!["kubernetes.audit.verb"]!.ToJsonString());
        var second = JsonNode.Parse(server.Requests[2].Body)!;
        Assert.Equal(SortOf(events, 1), second["search_after"]!.ToJsonString());
        Assert.Equal(PitId, (string?)JsonNode.Parse(server.Requests[4].Body)!["id"]);
    }

    [Fact]
    public void Query_StoppedEarly_StillClosesThePointInTime()
    {
        var events = ElasticsearchSendTests.FixtureEvents();
        using var server = new CannedHttpServer(r => (r.Method, r.Path) switch
        {
            ("POST", "/kube-audit/_pit") => (200, "{\"id\":\"" + PitId + "\"}"),
            ("POST", "/_search") => (200, SearchPage(events, r.Body)),
            _ => (200, "{\"succeeded\":true,\"num_freed\":1}"),
        });
        using var store = new ElasticsearchStore(ElasticsearchSendTests.Connection(server.Uri)) { PageSize = 2 };

        var one = store.Query(new AuditEventFilter(), CancellationToken.None).First();

        Assert.Equal(events[0].AuditId, one.Event!.AuditId);
        Assert.Equal("DELETE /_pit", server.Requests[^1].Method + " " + server.Requests[^1].Path);
    }

    [Fact]
    public void Query_OpenSearch_ScrollsSortedByTimestampThenClearsTheScroll()
    {
        var events = ElasticsearchSendTests.FixtureEvents();
        var continued = 0;
        using var server = new CannedHttpServer(r => (r.Method, r.Path) switch
        {
            ("POST", "/kube-audit/_search") => (200, ScrollPage(events, 0, 3)),
            ("POST", "/_search/scroll") => (200, ++continued == 1 ? ScrollPage(events, 3, events.Count) : ScrollPage(events, 0, 0)),
            ("DELETE", "/_search/scroll") => (200, "{\"succeeded\":true,\"num_freed\":1}"),
            _ => (400, "{\"error\":\"unexpected\",\"status\":400}"),
        });
        using var store = new ElasticsearchStore(ElasticsearchSendTests.Connection(server.Uri, engine: StoreEngine.OpenSearch)) { PageSize = 3 };

        var records = store.Query(new AuditEventFilter(), CancellationToken.None).ToList();

        Assert.Equal(events.Select(e => e.AuditId), records.Select(r => r.Event!.AuditId));
        Assert.Equal(["POST /kube-audit/_search", "POST /_search/scroll", "POST /_search/scroll", "DELETE /_search/scroll"], server.Requests.Select(r => r.Method + " " + r.Path));
        Assert.Contains("scroll=2m", server.Requests[0].Url);
        Assert.Equal("{\"match_all\":{}}", JsonNode.Parse(server.Requests[0].Body)!["query"]!.ToJsonString());
        Assert.Equal(ScrollId, (string?)JsonNode.Parse(server.Requests[1].Body)!["scroll_id"]);
        Assert.Equal(ScrollId, (string?)JsonNode.Parse(server.Requests[3].Body)!["scroll_id"]![0]);
    }

    [Fact]
    public void Query_ElasticsearchWithoutPointInTime_FallsBackToScroll()
    {
        var events = ElasticsearchSendTests.FixtureEvents();
        using var server = new CannedHttpServer(r => (r.Method, r.Path) switch
        {
            // Elasticsearch before 7.10 takes "_pit" for a document id route: the method is refused.
            ("POST", "/kube-audit/_pit") => (405, "{\"error\":\"Incorrect HTTP method for uri [/kube-audit/_pit?keep_alive=2m] and method [POST], allowed: [GET, PUT, DELETE, HEAD]\",\"status\":405}"),
            ("POST", "/kube-audit/_search") => (200, ScrollPage(events, 0, events.Count)),
            ("POST", "/_search/scroll") => (200, ScrollPage(events, 0, 0)),
            _ => (200, "{\"succeeded\":true,\"num_freed\":1}"),
        });
        using var store = new ElasticsearchStore(ElasticsearchSendTests.Connection(server.Uri));

        var records = store.Query(new AuditEventFilter(), CancellationToken.None).ToList();

        Assert.Equal(events.Count, records.Count);
        Assert.Equal("DELETE /_search/scroll", server.Requests[^1].Method + " " + server.Requests[^1].Path);
    }

    [Fact]
    public void Query_DocumentWithoutOriginal_AnErrorRecordAndTheRestStillComes()
    {
        var events = ElasticsearchSendTests.FixtureEvents();
        var page = """
            {"_scroll_id":"{{ScrollId}}","took":1,"timed_out":false,"hits":{"hits":[
              {"_index":".ds-logs-kubernetes.audit_logs-default-2026.03.04-000001","_id":"FaslK3QBySSL_rrj9zM5","_score":null,"_source":{},"sort":[1]},
              {"_index":"kube-audit","_id":"x","_score":null,"_source":{"event":{"original":{{Json(events[0].ToJson())}}}},"sort":[2]}
            ]}}
            """.Replace("{{ScrollId}}", ScrollId).Replace("{{Json(events[0].ToJson())}}", JsonSerializer.Serialize(events[0].ToJson()));
        using var server = new CannedHttpServer(r => r.Path == "/kube-audit/_search" ? (200, page) : r.Path == "/_search/scroll" && r.Method == "POST" ? (200, "{\"_scroll_id\":\"" + ScrollId + "\",\"hits\":{\"hits\":[]}}") : (200, "{}"));
        using var store = new ElasticsearchStore(ElasticsearchSendTests.Connection(server.Uri, engine: StoreEngine.OpenSearch));

        var records = store.Query(new AuditEventFilter(), CancellationToken.None).ToList();

        Assert.Equal(2, records.Count);
        Assert.Equal(DiagnosticCodes.NotAnAuditEvent, records[0].Error!.Code);
        Assert.Contains("FaslK3QBySSL_rrj9zM5", records[0].Error!.Message);
        Assert.Equal(events[0].AuditId, records[1].Event!.AuditId);
    }

    [Fact]
    public void Query_PointInTimeRefused_StoreExceptionNotRetryable()
    {
        const string denied = """{"error":{"root_cause":[{"type":"security_exception","reason":"action [indices:data/read/open_point_in_time] is unauthorized for user [shipper]"}],"type":"security_exception","reason":"action [indices:data/read/open_point_in_time] is unauthorized for user [shipper]"},"status":403}""";
        using var server = new CannedHttpServer(_ => (403, denied));
        using var store = new ElasticsearchStore(ElasticsearchSendTests.Connection(server.Uri));

        var ex = Assert.Throws<StoreException>(() => store.Query(new AuditEventFilter(), CancellationToken.None).ToList());

        Assert.False(ex.Retryable);
        Assert.Contains("open_point_in_time", ex.Message);
    }

    [Fact]
    public void Count_Filter_PostsTheQueryToCount()
    {
        using var server = new CannedHttpServer(_ => (200, "{\"count\":42,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0}}"));
        using var store = new ElasticsearchStore(ElasticsearchSendTests.Connection(server.Uri));

        var count = store.Count(new AuditEventFilter { Verbs = ["create"] }, CancellationToken.None);

        Assert.Equal(42, count);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST /kube-audit/_count", request.Method + " " + request.Path);
        Assert.Equal("[\"create\"]", JsonNode.Parse(request.Body)!["query"]!["bool"]!["filter"]![0]!["terms"]!["kubernetes.audit.verb"]!.ToJsonString());
    }

    // A page of the point-in-time search: the hits after search_after, PageSize (size) of them, each sorted as documented.
    private static string SearchPage(List<AuditEvent> events, string requestBody)
    {
        var request = JsonNode.Parse(requestBody)!;
        var size = (int)request["size"]!;
        var after = request["search_after"]?.ToJsonString();
        var start = after is null ? 0 : Enumerable.Range(0, events.Count).First(i => SortOf(events, i) == after) + 1;
        var hits = Enumerable.Range(start, Math.Max(0, Math.Min(size, events.Count - start))).Select(i => Hit(events, i));
        return "{\"pit_id\":\"" + PitId + "\",\"took\":17,\"timed_out\":false,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0},"
            + "\"hits\":{\"total\":{\"value\":10000,\"relation\":\"gte\"},\"max_score\":null,\"hits\":[" + string.Join(',', hits) + "]}}";
    }

    private static string ScrollPage(List<AuditEvent> events, int from, int to) =>
        "{\"_scroll_id\":\"" + ScrollId + "\",\"took\":2,\"timed_out\":false,\"hits\":{\"total\":{\"value\":" + events.Count + ",\"relation\":\"eq\"},\"max_score\":null,\"hits\":["
        + string.Join(',', Enumerable.Range(from, to - from).Select(i => Hit(events, i))) + "]}}";

    private static string Hit(List<AuditEvent> events, int i) =>
        "{\"_index\":\"kube-audit\",\"_id\":\"" + events[i].AuditId + "-ResponseComplete\",\"_score\":null,\"_source\":{\"event\":{\"original\":"
        + JsonSerializer.Serialize(events[i].ToJson()) + "}},\"sort\":" + SortOf(events, i) + "}";

    // @timestamp as date_nanos sorts (nanoseconds since the epoch), then the _shard_doc tiebreaker.
    private static string SortOf(List<AuditEvent> events, int i) =>
        "[" + ((events[i].Time!.Value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100) + "," + (4294967298L + i) + "]";
}
