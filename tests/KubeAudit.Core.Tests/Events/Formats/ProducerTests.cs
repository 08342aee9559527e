using KubeAudit.Core.Detections;
using KubeAudit.Core.Detections.BuiltIn;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Formats;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>
/// Events from other producers (GKE Cloud Logging, AKS, OpenShift ViaQ, OpenTelemetry, collectors'
/// message fields), read from the hand-written fixtures in tests/Pester/fixtures/producers.
/// </summary>
public class ProducerTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "Pester", "fixtures", "producers", name);

    private static List<AuditLogRecord> ReadFixture(string name) => AuditSource.ReadFile(Fixture(name)).ToList();

    [Fact]
    public void GkeEntry_MapsEveryFieldItCarries()
    {
        var records = ReadFixture("gke-entries.jsonl");
        var exec = records[0].Event!;

        Assert.Equal("6f1c2a9e-0b1d-4d55-9e0a-51a4c6e0f001", exec.AuditId);
        Assert.Equal(("ResponseComplete", "Request", "create"), (exec.Stage, exec.Level, exec.Verb));
        Assert.Equal(("", "v1", "shop", "pods", "web-0", "exec"), (exec.ObjectRef!.ApiGroup, exec.ObjectRef.ApiVersion, exec.Namespace, exec.Resource, exec.Name, exec.Subresource));
        Assert.Equal("/api/v1/namespaces/shop/pods/web-0/exec", exec.RequestUri);
        Assert.Equal("dev@example.com", exec.Username);
        Assert.Equal(["203.0.113.7"], exec.SourceIPs);
        Assert.StartsWith("kubectl/v1.30.2", exec.UserAgent, StringComparison.Ordinal);
        Assert.Equal(200, exec.Code); // the entry has no status at all: OK
        Assert.Equal("allow", exec.Annotations["authorization.k8s.io/decision"]);
        Assert.Equal("access granted by IAM permissions.", exec.Annotations["authorization.k8s.io/reason"]);
        Assert.Contains("PodExecOptions", exec.RequestObject!.ToString(), StringComparison.Ordinal);
        Assert.Null(exec.ResponseObject);
        Assert.Equal(new DateTimeOffset(2025, 5, 14, 9, 12, 3, TimeSpan.Zero).AddTicks(1011120), exec.RequestReceivedTimestamp);
        Assert.Null(exec.StageTimestamp); // not carried: receiveTimestamp is Cloud Logging's, not the API server's
        Assert.Empty(exec.User.Groups); // not carried
    }

    [Fact]
    public void GkeEntry_WithoutType_WithResponse_IsRequestResponse()
    {
        var pod = ReadFixture("gke-entries.jsonl")[1].Event!;

        Assert.Equal(("create", "RequestResponse", 200), (pod.Verb, pod.Level, pod.Code));
        Assert.Equal("/api/v1/namespaces/default/pods/debugger", pod.RequestUri);
        Assert.Contains("\"uid\"", pod.ResponseObject!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GkeEntry_GrpcStatus_BecomesItsHttpCode()
    {
        var denied = ReadFixture("gke-entries.jsonl")[2].Event!;

        Assert.Equal(403, denied.Code);
        Assert.StartsWith("secrets is forbidden", denied.ResponseStatus!.Message, StringComparison.Ordinal);
        Assert.Equal(("kube-system", "secrets", (string?)null), (denied.Namespace, denied.Resource, denied.Name));
        Assert.Equal("/api/v1/namespaces/kube-system/secrets", denied.RequestUri);
        Assert.Equal("forbid", denied.Annotations["authorization.k8s.io/decision"]);
    }

    [Theory]
    [InlineData(0, 200)]
    [InlineData(3, 400)]
    [InlineData(5, 404)]
    [InlineData(6, 409)]
    [InlineData(7, 403)]
    [InlineData(8, 429)]
    [InlineData(13, 500)]
    [InlineData(14, 503)]
    [InlineData(16, 401)]
    public void GkeEntry_GrpcCodes(int grpc, int http)
    {
        var line = $$$"""{"insertId":"i","protoPayload":{"serviceName":"k8s.io","methodName":"io.k8s.core.v1.pods.get","resourceName":"core/v1/namespaces/a/pods/b","status":{"code":{{{grpc}}}}},"timestamp":"2025-01-01T00:00:00Z"}""";

        Assert.Equal(http, Single(line).Code);
    }

    [Fact]
    public void GkeEntry_WithoutResourceName_FallsBackToTheMethodName()
    {
        var list = ReadFixture("gke-entries.jsonl")[5].Event!;

        Assert.Equal(("list", "", "namespaces", (string?)null), (list.Verb, list.ObjectRef!.ApiGroup, list.Resource, list.Name));
        Assert.Equal("/api/v1/namespaces", list.RequestUri);

        var exec = GkeLogEntryReader.ObjectRefOfMethod("io.k8s.core.v1.pods.exec.create")!;
        Assert.Equal(("", "v1", "pods", "exec"), (exec.ApiGroup, exec.ApiVersion, exec.Resource, exec.Subresource));
        var rbac = GkeLogEntryReader.ObjectRefOfMethod("io.k8s.authorization.rbac.v1.clusterroles.delete")!;
        Assert.Equal(((string?)null, "v1", "clusterroles"), (rbac.ApiGroup, rbac.ApiVersion, rbac.Resource)); // GKE's group spelling is not the API group
    }

    [Fact]
    public void GkeClusterOperation_IsOneErrorSayingWhatItIs()
    {
        var op = ReadFixture("gke-entries.jsonl")[6];

        Assert.Null(op.Event);
        Assert.Equal(DiagnosticCodes.NotAnAuditEvent, op.Error!.Code);
        Assert.Contains("a GKE cluster operation of service 'container.googleapis.com' (method 'google.container.v1.ClusterManager.SetNodePoolSize')", op.Error.Message, StringComparison.Ordinal);
        Assert.Equal(7, op.Error.Line);
    }

    [Fact]
    public void CloudLoggingEntry_WithAnotherPayload_SaysSo()
    {
        var line = """{"insertId":"x","jsonPayload":{"msg":"hello"},"logName":"projects/p/logs/stdout","resource":{"type":"k8s_container"},"timestamp":"2025-01-01T00:00:00Z"}""";

        var error = Assert.Single(Read(line)).Error!;

        Assert.Equal("In the jsonPayload object: The input is not an audit event: no audit event field (level, auditID, stage, verb, requestURI) is present.", error.Message);
    }

    [Fact]
    public void PantherRuleTestEntries_WithoutTypeServiceOrStatus_AreRead()
    {
        var records = ReadFixture("panther-gcp-k8s-rule-tests.jsonl");
        var events = records.Events();

        Assert.Equal(23, records.Count);
        Assert.Equal(18, events.Count);
        Assert.All(records.Where(r => r.Error is not null), r => Assert.Contains("service 'deploymentmanager.googleapis.com'", r.Error!.Message, StringComparison.Ordinal));
        Assert.Contains(events, e => e.Code == 409 && e.ResponseStatus!.Message!.Contains("already exists", StringComparison.Ordinal)); // gRPC 10 ABORTED
        Assert.Contains(events, e => e.Subresource == "exec" && e.RequestUri!.StartsWith("/api/v1/namespaces/", StringComparison.Ordinal) && e.Code == 200);
        Assert.Contains(events, e => e.RequestReceivedTimestamp == new DateTimeOffset(2024, 2, 13, 13, 13, 24, TimeSpan.Zero).AddTicks(791400));
    }

    [Fact]
    public void GcloudLoggingRead_ArrayOfEntries_LinesAreTheEntries()
    {
        var events = ReadFixture("gke-gcloud-read.json").Events();

        Assert.Equal(["6f1c2a9e-0b1d-4d55-9e0a-51a4c6e0f001", "6f1c2a9e-0b1d-4d55-9e0a-51a4c6e0f003", "6f1c2a9e-0b1d-4d55-9e0a-51a4c6e0f002"], events.Select(e => e.AuditId));
        Assert.All(events, e => Assert.Equal('{', e.ToJson()[0]));
        Assert.Equal(2, events[0].Line);
    }

    [Fact]
    public void CollectorMessage_HoldingGkeEntries_Events_AndNamedErrors()
    {
        var records = ReadFixture("collector-message.jsonl");

        Assert.Equal("6f1c2a9e-0b1d-4d55-9e0a-51a4c6e0f001", records[0].Event!.AuditId);
        Assert.Equal(("list", 403, 2L), (records[1].Event!.Verb, records[1].Event!.Code, records[1].Event!.Line));
        Assert.Equal("1b3f7a2c-0001-4c1e-9a1b-aa0000000001", records[2].Event!.AuditId);
        var error = records[3].Error!;
        Assert.StartsWith("In a GKE entry inside the message string: The input is not an audit event: a GKE cluster operation", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CloudWatch", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void MessageThatIsNotAnEvent_IsNotCalledCloudWatch()
    {
        var error = Assert.Single(Read("""{"message":"{\"hello\":\"world\"}","host":"h"}""")).Error!;

        Assert.StartsWith("In the message string: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AksRecords_PropertiesLogAsObjectOrString()
    {
        var events = ReadFixture("aks-properties-log-object.json").Events();

        Assert.Equal(["1b3f7a2c-0001-4c1e-9a1b-aa0000000001", "1b3f7a2c-0003-4c1e-9a1b-aa0000000003", "1b3f7a2c-0004-4c1e-9a1b-aa0000000004"], events.Select(e => e.AuditId));
        Assert.Equal(("get", "configmaps", 200), (events[0].Verb, events[0].Resource, events[0].Code));
        using var json = System.Text.Json.JsonDocument.Parse(events[0].ToJson()); // the object itself, not the record
        Assert.Equal("Event", json.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public void AksRecord_OfAnotherCategory_WithObjectLog_IsNamed()
    {
        var line = """{"category":"kube-apiserver","properties":{"log":{"msg":"I0514 started"}}}""";

        Assert.Contains("category 'kube-apiserver'", Assert.Single(Read(line)).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenShiftViaq_LevelFromTheAuditLevelField()
    {
        var events = ReadFixture("openshift-viaq.jsonl").Events();

        Assert.Equal(["Metadata", "Request", "Metadata"], events.Select(e => e.Level));
        Assert.Equal(("create", "exec", 101), (events[1].Verb, events[1].Subresource, events[1].Code));
    }

    [Fact]
    public void OtlpFileExporter_StringAndKvlistBodies()
    {
        var records = ReadFixture("otel-file-exporter.jsonl");
        var events = records.Events();

        Assert.All(records, r => Assert.Null(r.Error));
        Assert.Equal(["get", "create", "delete", "list"], events.Select(e => e.Verb));
        Assert.Equal([1L, 1L, 2L, 2L], events.Select(e => e.Line));
        var fromMap = events[2];
        Assert.Equal(("apps", "deployments", "web", 200), (fromMap.ObjectRef!.ApiGroup, fromMap.Resource, fromMap.Name, fromMap.Code));
        Assert.Equal(["system:authenticated"], fromMap.User.Groups);
        Assert.Equal(new DateTimeOffset(2025, 5, 14, 10, 2, 0, TimeSpan.Zero), fromMap.RequestReceivedTimestamp);
        Assert.Equal(403, events[3].Code); // intValue "403" back to a number
    }

    [Fact]
    public void Otlp_PrettyPrinted_LocatesEachRecord_AndNamesBadBodies()
    {
        var text = """
            {
              "resourceLogs": [{
                "scopeLogs": [{
                  "logRecords": [
                    {"body": {"stringValue": "{\"auditID\":\"a\",\"verb\":\"get\",\"stage\":\"ResponseComplete\"}"}},
                    {"body": {"stringValue": "I0514 10:00:00 plain text"}},
                    {"body": {"intValue": "5"}}
                  ]
                }]
              }]
            }
            """;

        var records = Read(text);

        Assert.Equal("a", records[0].Event!.AuditId);
        Assert.Equal(5, records[0].Event!.Line);
        Assert.Equal("The input is not an audit event: the body of an OTLP log record is not event JSON.", records[1].Error!.Message);
        Assert.Equal(6, records[1].Error!.Line);
        Assert.Contains("body is intValue", records[2].Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MixedFile_EveryShapeLineByLine()
    {
        var records = ReadFixture("mixed-producers.jsonl");

        Assert.Equal(10, records.Count); // the OTLP line holds two events
        Assert.Equal(
            ["1b3f7a2c-0001-4c1e-9a1b-aa0000000001", "6f1c2a9e-0b1d-4d55-9e0a-51a4c6e0f001", "6f1c2a9e-0b1d-4d55-9e0a-51a4c6e0f003", "1b3f7a2c-0002-4c1e-9a1b-aa0000000002",
             "1b3f7a2c-0003-4c1e-9a1b-aa0000000003", "1b3f7a2c-0004-4c1e-9a1b-aa0000000004", "1b3f7a2c-0001-4c1e-9a1b-aa0000000001", "1b3f7a2c-0003-4c1e-9a1b-aa0000000003", null, "1b3f7a2c-0004-4c1e-9a1b-aa0000000004"],
            records.Select(r => r.Event?.AuditId));
    }

    [Fact]
    public void ReadText_GivesTheSameEventsAsTheFile()
    {
        foreach (var name in new[] { "mixed-producers.jsonl", "gke-gcloud-read.json", "aks-properties-log-object.json", "collector-message.jsonl" })
        {
            var fromFile = ReadFixture(name);
            var fromText = AuditSource.ReadText(File.ReadAllLines(Fixture(name)), Fixture(name)).ToList();

            Assert.Equal(fromFile.Select(r => (r.Event?.AuditId, r.Event?.Line, r.Error?.Code, r.Error?.Line)), fromText.Select(r => (r.Event?.AuditId, r.Event?.Line, r.Error?.Code, r.Error?.Line)));
        }
    }

    [Fact]
    public void Detections_FireOnGkeEntries_AndSkipGkeControlPlane()
    {
        var events = ReadFixture("gke-entries.jsonl").Events();
        var findings = new ThreatEngine(BuiltInRules.Create()).Inspect(events).ToList();
        var unfiltered = new ThreatEngine(BuiltInRules.Create(), new ThreatEngineOptions { NoDefaultAllowList = true }).Inspect(events).ToList();

        var exec = Assert.Single(findings, f => f.Rule == "Pod.Exec");
        Assert.Contains("sh -c id (container web)", exec.Description, StringComparison.Ordinal);
        Assert.Single(findings, f => f.Rule == "Pod.SensitiveHostPath");
        Assert.DoesNotContain(findings, f => f.User is "system:gke-common-webhooks" or "service-123456789012@container-engine-robot.iam.gserviceaccount.com");
        Assert.Equal(
            ["service-123456789012@container-engine-robot.iam.gserviceaccount.com", "system:gke-common-webhooks"],
            unfiltered.Where(f => f.Rule == "Secret.ReadByUnusualIdentity").Select(f => f.User).Order());
    }
}

/// <summary>The segmented reader Get-KubeAuditEvent uses reads a mixed file like AuditSource does.</summary>
public class ProducerSegmentedTests
{
    [Fact]
    public void SegmentedReader_MixedProducers_SameAsAuditSource()
    {
        var file = Path.Combine(TestPaths.RepositoryRoot, "tests", "Pester", "fixtures", "producers", "mixed-producers.jsonl");

        var expected = AuditSource.ReadFile(file).Select(r => (r.Event?.AuditId, r.Event?.Line, r.Error?.Code, r.Error?.Line)).ToList();
        var segmented = Core.Events.Reading.SegmentedLogReader.Read([file]).Select(r => (r.Event?.AuditId, r.Event?.Line, r.Error?.Code, r.Error?.Line)).ToList();

        Assert.Equal(expected, segmented);
    }

    [Fact]
    public void SegmentedReader_ManyPieces_WrappedLinesFoundInEveryPiece()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubeaudit-mixed-{Guid.NewGuid():N}.log");
        try
        {
            var gke = File.ReadLines(Path.Combine(TestPaths.RepositoryRoot, "tests", "Pester", "fixtures", "producers", "gke-entries.jsonl")).First();
            File.WriteAllLines(path, Enumerable.Range(1, 3000).Select(i => i % 10 == 0 ? gke : EventJson("get", $"e{i}")));

            var records = Core.Events.Reading.SegmentedLogReader.Read([path], workers: 3, minimumPieceBytes: 16 * 1024).ToList();

            Assert.Equal(3000, records.Count);
            Assert.All(records, r => Assert.NotNull(r.Event));
            Assert.Equal(Enumerable.Range(1, 3000).Select(i => (long)i), records.Select(r => r.Event!.Line));
            Assert.Equal(300, records.Count(r => r.Event!.AuditId == "6f1c2a9e-0b1d-4d55-9e0a-51a4c6e0f001"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
