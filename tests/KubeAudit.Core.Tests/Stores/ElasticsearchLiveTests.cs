using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Stores;
using KubeAudit.Core.Stores.Elasticsearch;

namespace KubeAudit.Core.Tests.Stores;

/// <summary>Runs only when KUBEAUDIT_ELASTICSEARCH_URI names a live store; skipped otherwise, saying so.</summary>
internal sealed class LiveElasticsearchFactAttribute : FactAttribute
{
    public LiveElasticsearchFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBEAUDIT_ELASTICSEARCH_URI")))
        {
            Skip = "KUBEAUDIT_ELASTICSEARCH_URI is not set: no Elasticsearch or OpenSearch to test against (set it, and KUBEAUDIT_ELASTICSEARCH_ENGINE, _USER/_PASSWORD or _APIKEY, _CA, _SKIPTLS as needed).";
        }
    }
}

/// <summary>
/// End to end against a live Elasticsearch or OpenSearch: create the schema, send the sample log, count, re-send without
/// duplicates, and query push-down equal to reading the file. Each run uses its own index and deletes it afterwards.
/// </summary>
public class ElasticsearchLiveTests
{
    [LiveElasticsearchFact]
    public async Task SendCountQuery_SampleLog_StoreGivesWhatTheFileGives()
    {
        var target = "kubeaudit-test-" + Guid.NewGuid().ToString("N")[..12];
        var connection = LiveConnection(target);
        var events = ReadSample();
        using var store = new ElasticsearchStore(connection);
        using var admin = ElasticsearchHttp.Create(connection);
        try
        {
            await store.CreateSchemaAsync(CancellationToken.None);
            foreach (var batch in events.Chunk(500))
            {
                var outcome = await store.SendAsync(batch, CancellationToken.None);
                Assert.Empty(outcome.Failed);
                Assert.Equal(batch.Length, outcome.Accepted);
            }

            (await admin.PostAsync(target + "/_refresh", null)).EnsureSuccessStatusCode();
            var distinct = events.Select(DocumentId.For).Distinct().Count();
            Assert.Equal(distinct, store.Count(new AuditEventFilter(), CancellationToken.None));

            // A re-send stores nothing twice.
            var again = await store.SendAsync(events.Take(100).ToList(), CancellationToken.None);
            Assert.Equal(100, again.Accepted);
            (await admin.PostAsync(target + "/_refresh", null)).EnsureSuccessStatusCode();
            Assert.Equal(distinct, store.Count(new AuditEventFilter(), CancellationToken.None));

            AuditEventFilter[] filters =
            [
                new() { Verbs = ["create"] },
                new() { Users = ["system:serviceaccount:*"] },
                new() { Resources = ["pods/exec", "secrets"] },
                new() { Namespaces = ["kube-*"], StatusCodes = [200, 201] },
                new() { Since = events[events.Count / 2].Time },
            ];
            foreach (var filter in filters)
            {
                var fromFile = events.Where(filter.Matches).Select(DocumentId.For).Distinct().Order(StringComparer.Ordinal).ToList();
                var fromStore = store.Query(filter, CancellationToken.None).Select(r => DocumentId.For(r.Event!)).Order(StringComparer.Ordinal).ToList();
                Assert.Equal(fromFile, fromStore);
                Assert.Equal(fromFile.Count, store.Count(filter, CancellationToken.None));
            }
        }
        finally
        {
            await admin.DeleteAsync(Uri.EscapeDataString(target));
            await admin.DeleteAsync("_index_template/" + Uri.EscapeDataString(IndexTemplate.NameFor(target)));
        }
    }

    private static List<AuditEvent> ReadSample()
    {
        using var reader = JsonLinesReader.OpenFile(Path.Combine(TestPaths.RepositoryRoot, "samples", "audit.log"));
        return reader.ReadRecords().Where(r => r.Event is not null).Select(r => r.Event!).ToList();
    }

    private static StoreConnection LiveConnection(string target) => new()
    {
        Uri = new Uri(Environment.GetEnvironmentVariable("KUBEAUDIT_ELASTICSEARCH_URI")!),
        Engine = Environment.GetEnvironmentVariable("KUBEAUDIT_ELASTICSEARCH_ENGINE") is { Length: > 0 } engine ? Enum.Parse<StoreEngine>(engine, ignoreCase: true) : StoreEngine.Elasticsearch,
        Target = target,
        UserName = Environment.GetEnvironmentVariable("KUBEAUDIT_ELASTICSEARCH_USER"),
        Password = Environment.GetEnvironmentVariable("KUBEAUDIT_ELASTICSEARCH_PASSWORD"),
        ApiKey = Environment.GetEnvironmentVariable("KUBEAUDIT_ELASTICSEARCH_APIKEY"),
        CertificatePath = Environment.GetEnvironmentVariable("KUBEAUDIT_ELASTICSEARCH_CA"),
        SkipCertificateCheck = Environment.GetEnvironmentVariable("KUBEAUDIT_ELASTICSEARCH_SKIPTLS") == "1",
    };
}
