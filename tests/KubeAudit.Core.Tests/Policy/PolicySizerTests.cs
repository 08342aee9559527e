using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

public class PolicySizerTests
{
    private const string Body = """{"kind":"Secret","data":{"k":"dmFsdWU="}}""";

    private static readonly AuditPolicy s_policy = PolicyBuilder.Yaml("""
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: ["RequestReceived"]
        rules:
          - level: None
            nonResourceURLs: ["/healthz*"]
          - level: Metadata
            resources: [{group: "", resources: ["secrets"]}]
          - level: RequestResponse
            verbs: ["create"]
            resources: [{group: "", resources: ["configmaps"]}]
          - level: Request
            verbs: ["create", "update"]
          - level: Metadata
        """);

    private static AuditEvent Event(string level, string verb, string resource, string? request = null, string? response = null, string stage = "ResponseComplete", string user = "alice")
    {
        var objectRef = resource.StartsWith('/') ? string.Empty : $$""","objectRef":{"resource":"{{resource}}","namespace":"default","apiVersion":"v1"}""";
        var uri = resource.StartsWith('/') ? resource : "/api/v1/namespaces/default/" + resource;
        var bodies = (request is null ? string.Empty : ",\"requestObject\":" + request) + (response is null ? string.Empty : ",\"responseObject\":" + response);
        return ReaderHelpers.ParseOne($$"""
            {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"{{level}}","auditID":"1","stage":"{{stage}}","requestURI":"{{uri}}","verb":"{{verb}}","user":{"username":"{{user}}","groups":["system:authenticated"]}{{objectRef}}{{bodies}},"requestReceivedTimestamp":null,"stageTimestamp":null}
            """);
    }

    private static long Size(AuditEvent e) => e.GetUtf8Json().Length + 1;

    [Fact]
    public void Metadata_DropsBothBodiesWithTheirKeys()
    {
        var e = Event("RequestResponse", "get", "secrets", Body, Body);
        var sizer = new PolicySizer(s_policy);

        sizer.Add(e);
        var report = sizer.Report();

        Assert.Equal((1, Size(e)), (report.EventsRead, report.BytesRead));
        Assert.Equal(1, report.EventsKept);
        Assert.Equal(Size(e) - (2 * Body.Length) - ",\"requestObject\":".Length - ",\"responseObject\":".Length, report.BytesKept);
        Assert.Equal(0, report.UnderLogged);
    }

    [Fact]
    public void Request_KeepsTheRequestBodyOnly()
    {
        var e = Event("RequestResponse", "update", "pods", Body, Body);
        var sizer = new PolicySizer(s_policy);

        sizer.Add(e);

        Assert.Equal(Size(e) - Body.Length - ",\"responseObject\":".Length, sizer.Report().BytesKept);
    }

    [Fact]
    public void HigherLevelThanLogged_KeepsTheEventAsItIs_AndCountsItUnderLogged()
    {
        var e = Event("Metadata", "create", "configmaps");
        var sizer = new PolicySizer(s_policy);

        sizer.Add(e);
        var report = sizer.Report();

        Assert.Equal((1, Size(e), 1L), (report.EventsKept, report.BytesKept, report.UnderLogged));
    }

    [Fact]
    public void NoneAndOmittedStages_AreDropped_AndCountedApart()
    {
        var sizer = new PolicySizer(s_policy);
        sizer.Add(Event("Metadata", "get", "/healthz/etcd"));
        sizer.Add(Event("Metadata", "get", "pods", stage: "RequestReceived"));
        var kept = Event("Metadata", "get", "pods");
        sizer.Add(kept);

        var report = sizer.Report();

        Assert.Equal((3, 1, 1, 1), (report.EventsRead, report.EventsKept, report.DroppedByLevel, report.DroppedByStage));
        Assert.Equal(Size(kept), report.BytesKept);
        Assert.Equal(1.0 / 3, report.EventRatio, 6);
    }

    [Fact]
    public void Breakdowns_AddUpToTheTotals()
    {
        var sizer = new PolicySizer(s_policy);
        AuditEvent[] events =
        [
            Event("RequestResponse", "get", "secrets", null, Body, user: "bob"),
            Event("Request", "update", "pods", Body),
            Event("Metadata", "get", "/healthz"),
            Event("Metadata", "create", "configmaps", user: "bob"),
            Event("Metadata", "list", "pods", stage: "RequestReceived"),
        ];
        foreach (var e in events)
        {
            sizer.Add(e);
        }

        var report = sizer.Report();

        foreach (var rows in new[] { report.ByLevel, report.ByResource, report.ByUser })
        {
            Assert.Equal(report.EventsRead, rows.Sum(r => r.EventsBefore));
            Assert.Equal(report.BytesRead, rows.Sum(r => r.BytesBefore));
            Assert.Equal(report.EventsKept, rows.Sum(r => r.EventsAfter));
            Assert.Equal(report.BytesKept, rows.Sum(r => r.BytesAfter));
        }

        Assert.Equal(["Metadata", "Request", "RequestResponse"], report.ByLevel.Select(r => r.Name));
        var metadata = report.ByLevel[0];
        Assert.Equal((3L, 1L), (metadata.EventsBefore, metadata.EventsAfter));
        Assert.Equal(["/healthz", "configmaps", "pods", "secrets"], report.ByResource.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["alice", "bob"], report.ByUser.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.True(report.ByResource.Zip(report.ByResource.Skip(1)).All(p => p.First.BytesBefore >= p.Second.BytesBefore));
        Assert.Equal("test.yaml", report.Policy);
    }

    [Fact]
    public void Resources_UseKubectlNames_AndTopKeepsTheLargest()
    {
        var sizer = new PolicySizer(s_policy);
        sizer.Add(ReaderHelpers.ParseOne("""
            {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"1","stage":"ResponseComplete","requestURI":"/apis/apps/v1/namespaces/web/deployments/api/scale","verb":"update","user":{"username":"alice"},"objectRef":{"resource":"deployments","namespace":"web","name":"api","apiGroup":"apps","apiVersion":"v1","subresource":"scale"},"requestReceivedTimestamp":null,"stageTimestamp":null}
            """));
        sizer.Add(Event("Request", "update", "pods", $$"""{"padding":"{{new string('x', 500)}}"}"""));

        var report = sizer.Report(top: 1);

        Assert.Equal("pods", Assert.Single(report.ByResource).Name);
        Assert.Equal("deployments.apps/scale", sizer.Report().ByResource[1].Name);
    }

    [Fact]
    public void FailedAuthentication_IsNoUser()
    {
        var sizer = new PolicySizer(s_policy);
        sizer.Add(Event("Metadata", "get", "pods", user: ""));

        Assert.Equal("(no user)", Assert.Single(sizer.Report().ByUser).Name);
    }

    [Fact]
    public void NothingRead_GivesZeroRatios()
    {
        var report = new PolicySizer(s_policy).Report();

        Assert.Equal((0L, 0.0, 0.0), (report.EventsRead, report.EventRatio, report.ByteRatio));
        Assert.Empty(report.ByLevel);
    }
}
