using System.Text;
using System.Text.Json;
using KubeAudit.Core.Events;
using KubeAudit.Core.Stores;
using KubeAudit.Core.Stores.Elasticsearch;

namespace KubeAudit.Core.Tests.Stores;

/// <summary>
/// The _bulk request ElasticsearchStore builds, and how it reads answers. The failed-actions answer is Elasticsearch's
/// documentation verbatim (docs/reference/docs/bulk.asciidoc, "Example with failed actions"); the 401 is the
/// security_exception its security pages show for a request without credentials. Where the documentation shows no
/// example (a 409 on a re-sent create, a 429 item, a mapping error, a 403, a whole-request 429), the bodies follow the
/// documented error shape ({"error":{"type","reason",...},"status"}) with the reasons Elasticsearch writes. No server here.
/// </summary>
public class ElasticsearchSendTests
{
    // Elasticsearch reference, Bulk API, "Example with failed actions" (elastic/elasticsearch docs/reference/docs/bulk.asciidoc).
    private const string DocumentedBulkFailure = """
        {
          "took": 486,
          "errors": true,
          "items": [
            {
              "update": {
                "_index": "index1",
                "_type" : "_doc",
                "_id": "5",
                "status": 404,
                "error": {
                  "type": "document_missing_exception",
                  "reason": "[_doc][5]: document missing",
                  "index_uuid": "aAsFqTI0Tc2W0LCWgPNrOA",
                  "shard": "0",
                  "index": "index1"
                }
              }
            },
            {
              "update": {
                "_index": "index1",
                "_type" : "_doc",
                "_id": "6",
                "status": 404,
                "error": {
                  "type": "document_missing_exception",
                  "reason": "[_doc][6]: document missing",
                  "index_uuid": "aAsFqTI0Tc2W0LCWgPNrOA",
                  "shard": "0",
                  "index": "index1"
                }
              }
            },
            {
              "create": {
                "_index": "index1",
                "_type" : "_doc",
                "_id": "7",
                "_version": 1,
                "result": "created",
                "_shards": {
                  "total": 2,
                  "successful": 1,
                  "failed": 0
                },
                "_seq_no": 0,
                "_primary_term": 1,
                "status": 201
              }
            }
          ]
        }
        """;

    // Elasticsearch's answer to a request without credentials (as its security documentation shows it).
    private const string MissingCredentials = """
        {"error":{"root_cause":[{"type":"security_exception","reason":"missing authentication credentials for REST request [/kube-audit/_bulk]","header":{"WWW-Authenticate":["Basic realm=\"security\" charset=\"UTF-8\"","ApiKey"]}}],"type":"security_exception","reason":"missing authentication credentials for REST request [/kube-audit/_bulk]","header":{"WWW-Authenticate":["Basic realm=\"security\" charset=\"UTF-8\"","ApiKey"]}},"status":401}
        """;

    private const string Unauthorized = """
        {"error":{"root_cause":[{"type":"security_exception","reason":"action [indices:data/write/bulk[s]] is unauthorized for user [reader] with effective roles [viewer] on indices [kube-audit], this action is granted by the index privileges [create_doc,create,index,write,all]"}],"type":"security_exception","reason":"action [indices:data/write/bulk[s]] is unauthorized for user [reader] with effective roles [viewer] on indices [kube-audit], this action is granted by the index privileges [create_doc,create,index,write,all]"},"status":403}
        """;

    private const string Rejected = """
        {"error":{"root_cause":[{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1048576, max_coordinating_and_primary_bytes=1024]"}],"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1048576, max_coordinating_and_primary_bytes=1024]"},"status":429}
        """;

    [Fact]
    public async Task SendAsync_Batch_PostsNdjsonCreateActionsKeyedByAuditIdAndStage()
    {
        var events = FixtureEvents();
        using var server = new CannedHttpServer(_ => (200, "{\"errors\":false,\"items\":[" + string.Join(',', events.Select(_ => "{\"create\":{\"status\":201}}")) + "]}"));
        using var store = Store(server, user: "elastic", password: "s3cret");

        var outcome = await store.SendAsync(events, CancellationToken.None);

        Assert.Equal(events.Count, outcome.Accepted);
        Assert.Empty(outcome.Failed);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/kube-audit/_bulk", request.Path);
        Assert.Equal("application/x-ndjson", request.ContentType);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("elastic:s3cret")), request.Authorization);
        Assert.EndsWith("\n", request.Body);
        var lines = request.Body.TrimEnd('\n').Split('\n');
        Assert.Equal(events.Count * 2, lines.Length);
        for (var i = 0; i < events.Count; i++)
        {
            using var action = JsonDocument.Parse(lines[2 * i]);
            Assert.Equal(events[i].AuditId + "-ResponseComplete", action.RootElement.GetProperty("create").GetProperty("_id").GetString());
            using var doc = JsonDocument.Parse(lines[2 * i + 1]);
            Assert.Equal(events[i].ToJson(), doc.RootElement.GetProperty("event").GetProperty("original").GetString());
            Assert.Equal(events[i].AuditId, doc.RootElement.GetProperty("kubernetes").GetProperty("audit").GetProperty("auditID").GetString());
        }
    }

    [Fact]
    public async Task SendAsync_ApiKey_SendsTheApiKeyHeader()
    {
        using var server = new CannedHttpServer(_ => (200, "{\"errors\":false,\"items\":[{\"create\":{\"status\":201}}]}"));
        using var keyed = new ElasticsearchStore(new StoreConnection { Uri = server.Uri, Engine = StoreEngine.Elasticsearch, Target = "kube-audit", ApiKey = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==" });

        await keyed.SendAsync([FixtureEvents()[0]], CancellationToken.None);

        Assert.Equal("ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==", Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task SendAsync_DocumentedFailedActions_EachRefusedEventWithItsReason()
    {
        var events = FixtureEvents().Take(3).ToList();
        using var server = new CannedHttpServer(_ => (200, DocumentedBulkFailure));
        using var store = Store(server);

        var outcome = await store.SendAsync(events, CancellationToken.None);

        Assert.Equal(1, outcome.Accepted);
        Assert.Equal(2, outcome.Failed.Count);
        Assert.Same(events[0], outcome.Failed[0].Event);
        Assert.Same(events[1], outcome.Failed[1].Event);
        Assert.Equal("document_missing_exception: [_doc][5]: document missing", outcome.Failed[0].Reason);
        Assert.Equal(404, outcome.Failed[0].StatusCode);
        Assert.False(outcome.Failed[0].Retryable);
    }

    [Fact]
    public async Task SendAsync_ResentEventsAnd429AndMappingError_ConflictIsStoredTooManyRequestsRetryableMappingErrorNot()
    {
        var events = FixtureEvents();
        var answer = """
            {"took":3,"errors":true,"items":[
              {"create":{"_index":".ds-logs-kubernetes.audit_logs-default-2026.03.04-000001","_id":"7f1c2a9e-0001-ResponseComplete","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[7f1c2a9e-0001-ResponseComplete]: version conflict, document already exists (current version [1])","index_uuid":"aAsFqTI0Tc2W0LCWgPNrOA","shard":"0","index":".ds-logs-kubernetes.audit_logs-default-2026.03.04-000001"}}},
              {"create":{"_index":".ds-logs-kubernetes.audit_logs-default-2026.03.04-000001","_id":"7f1c2a9e-0002-ResponseComplete","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution of primary operation"}}},
              {"create":{"_index":".ds-logs-kubernetes.audit_logs-default-2026.03.04-000001","_id":"7f1c2a9e-0003-ResponseComplete","status":400,"error":{"type":"document_parsing_exception","reason":"[1:1201] failed to parse field [kubernetes.audit.requestObject.spec.hostPID] of type [boolean]","caused_by":{"type":"illegal_argument_exception","reason":"Failed to parse value [maybe] as only [true] or [false] are allowed."}}}},
              {"create":{"_index":".ds-logs-kubernetes.audit_logs-default-2026.03.04-000001","_id":"7f1c2a9e-0004-ResponseComplete","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":7,"_primary_term":1,"status":201}}
            ]}
            """;
        using var server = new CannedHttpServer(_ => (200, answer));
        using var store = Store(server, target: "logs-kubernetes.audit_logs-default");

        var outcome = await store.SendAsync(events, CancellationToken.None);

        Assert.Equal(2, outcome.Accepted);
        Assert.Collection(
            outcome.Failed,
            busy =>
            {
                Assert.Same(events[1], busy.Event);
                Assert.Equal(429, busy.StatusCode);
                Assert.True(busy.Retryable);
            },
            mapping =>
            {
                Assert.Same(events[2], mapping.Event);
                Assert.False(mapping.Retryable);
                Assert.Contains("hostPID", mapping.Reason);
                Assert.Contains("caused by illegal_argument_exception", mapping.Reason);
            });
    }

    [Theory]
    [InlineData(401, MissingCredentials, false, "-Credential or -ApiKey")]
    [InlineData(403, Unauthorized, false, "create_doc")]
    [InlineData(429, Rejected, true, "es_rejected_execution_exception")]
    [InlineData(503, "{\"error\":{\"root_cause\":[],\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\"},\"status\":503}", true, "all shards failed")]
    [InlineData(502, "<html><body>502 Bad Gateway</body></html>", true, "502 Bad Gateway")]
    public async Task SendAsync_WholeRequestRefused_StoreExceptionSaysWhyAndWhetherToRetry(int status, string body, bool retryable, string said)
    {
        using var server = new CannedHttpServer(_ => (status, body));
        using var store = Store(server);

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.SendAsync(FixtureEvents(), CancellationToken.None));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(retryable, ex.Retryable);
        Assert.Contains(said, ex.Message);
        Assert.Contains("kube-audit", ex.Message);
    }

    [Fact]
    public async Task SendAsync_NothingListening_RetryableStoreExceptionWithoutStatus()
    {
        var uri = new Uri($"http://127.0.0.1:{CannedHttpServer.FreePort()}/");
        using var store = new ElasticsearchStore(Connection(uri));

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.SendAsync(FixtureEvents(), CancellationToken.None));

        Assert.Null(ex.StatusCode);
        Assert.True(ex.Retryable);
        Assert.Contains(uri.ToString(), ex.Message);
    }

    [Fact]
    public async Task SendAsync_ItemCountDiffersFromTheBatch_RetryableStoreException()
    {
        using var server = new CannedHttpServer(_ => (200, "{\"errors\":true,\"items\":[{\"create\":{\"status\":201}}]}"));
        using var store = Store(server);

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.SendAsync(FixtureEvents(), CancellationToken.None));

        Assert.True(ex.Retryable);
    }

    [Fact]
    public async Task CreateSchemaAsync_DataStreamTarget_PutsTheTemplateThenTheDataStream()
    {
        using var server = new CannedHttpServer(r => r.Method == "HEAD" ? (404, string.Empty) : (200, "{\"acknowledged\":true}"));
        using var store = Store(server, target: "logs-kubernetes.audit_logs-default");

        await store.CreateSchemaAsync(CancellationToken.None);

        Assert.Equal(
            ["HEAD /_index_template/kubeaudit-logs-kubernetes.audit_logs-default", "PUT /_index_template/kubeaudit-logs-kubernetes.audit_logs-default", "PUT /_data_stream/logs-kubernetes.audit_logs-default"],
            server.Requests.Select(r => r.Method + " " + r.Path));
        using var template = JsonDocument.Parse(server.Requests[1].Body);
        var root = template.RootElement;
        Assert.Equal("logs-kubernetes.audit_logs-default", root.GetProperty("index_patterns")[0].GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("data_stream").ValueKind);
        var properties = root.GetProperty("template").GetProperty("mappings").GetProperty("properties");
        Assert.Equal("date_nanos", properties.GetProperty("@timestamp").GetProperty("type").GetString());
        Assert.False(properties.GetProperty("event").GetProperty("properties").GetProperty("original").GetProperty("index").GetBoolean());
        Assert.Equal("keyword", properties.GetProperty("kubernetes").GetProperty("properties").GetProperty("audit").GetProperty("properties")
            .GetProperty("user").GetProperty("properties").GetProperty("groups").GetProperty("type").GetString());
    }

    [Fact]
    public async Task CreateSchemaAsync_TemplateAndIndexExist_LeavesThemAsTheyAre()
    {
        const string exists = """{"error":{"root_cause":[{"type":"resource_already_exists_exception","reason":"index [kube-audit/Xb1] already exists","index_uuid":"Xb1","index":"kube-audit"}],"type":"resource_already_exists_exception","reason":"index [kube-audit/Xb1] already exists","index_uuid":"Xb1","index":"kube-audit"},"status":400}""";
        using var server = new CannedHttpServer(r => r.Method == "HEAD" ? (200, string.Empty) : (400, exists));
        using var store = Store(server);

        await store.CreateSchemaAsync(CancellationToken.None);

        Assert.Equal(["HEAD /_index_template/kubeaudit-kube-audit", "PUT /kube-audit"], server.Requests.Select(r => r.Method + " " + r.Path));
    }

    [Fact]
    public async Task CreateSchemaAsync_NoPrivilege_NotRetryable()
    {
        using var server = new CannedHttpServer(_ => (403, Unauthorized));
        using var store = Store(server);

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.CreateSchemaAsync(CancellationToken.None));

        Assert.False(ex.Retryable);
        Assert.Equal(403, ex.StatusCode);
    }

    [Theory]
    [InlineData("logs-kubernetes.audit_logs-default", true)]
    [InlineData("logs-kubernetes.audit_logs-prod", true)]
    [InlineData("kube-audit", false)]
    [InlineData("logs-kubernetes.audit_logs-*", false)]
    public void IsDataStream_ElasticNamingScheme(string target, bool expected) => Assert.Equal(expected, IndexTemplate.IsDataStream(target));

    internal static List<AuditEvent> FixtureEvents()
    {
        var file = Path.Combine(TestPaths.RepositoryRoot, "tests", "fixtures", "ecs", "events.jsonl");
        using var reader = JsonLinesReader.OpenFile(file);
        return reader.ReadRecords().Select(r => r.Event!).ToList();
    }

    internal static StoreConnection Connection(Uri uri, string target = "kube-audit", StoreEngine engine = StoreEngine.Elasticsearch, string? user = null, string? password = null) =>
        new() { Uri = uri, Engine = engine, Target = target, UserName = user, Password = password, Timeout = TimeSpan.FromSeconds(20) };

    private static ElasticsearchStore Store(CannedHttpServer server, string target = "kube-audit", string? user = null, string? password = null) =>
        new(Connection(server.Uri, target, user: user, password: password));
}
