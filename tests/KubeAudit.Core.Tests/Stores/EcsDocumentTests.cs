using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeAudit.Core.Events;
using KubeAudit.Core.Stores.Ecs;

namespace KubeAudit.Core.Tests.Stores;

/// <summary>
/// The ECS documents against what Elastic's Kubernetes integration (kubernetes.audit_logs) makes of the same events.
/// tests/fixtures/ecs holds our own events, shaped like the integration's pipeline tests, and the documents its pipeline
/// gives for them, written by hand from its pipeline and expected outputs (not copied: they are under the Elastic License).
/// </summary>
public class EcsDocumentTests
{
    private static readonly string s_fixtures = Path.Combine(TestPaths.RepositoryRoot, "tests", "fixtures", "ecs");

    public static TheoryData<int> FixtureIndexes() => new(Enumerable.Range(0, 4));

    [Theory]
    [MemberData(nameof(FixtureIndexes))]
    public void Write_FixtureEvent_EveryFieldTheIntegrationDerivesHasItsValue(int index)
    {
        var (ev, _) = Fixture(index);
        var expected = ExpectedDocuments()[index]!.AsObject();
        var actual = Map(ev, includeOriginal: false);

        var paths = new List<string>();
        foreach (var (path, value) in Leaves(expected, string.Empty))
        {
            paths.Add(path);
            var got = At(actual, path);
            Assert.True(JsonNode.DeepEquals(value, got), $"{path}: expected {value?.ToJsonString()}, got {got?.ToJsonString() ?? "nothing"}");
        }

        Assert.Contains("orchestrator.api_version", paths);
        Assert.Contains("kubernetes.audit.auditID", paths);
    }

    [Theory]
    [MemberData(nameof(FixtureIndexes))]
    public void Write_FixtureEvent_KubernetesAuditIsTheIntegrationsExactlyPlusTheCoreGroup(int index)
    {
        var (ev, _) = Fixture(index);
        var expected = ExpectedDocuments()[index]!["kubernetes"]!["audit"]!;
        var actual = Map(ev, includeOriginal: false)["kubernetes"]!["audit"]!.AsObject();

        // The one deliberate extra: the core group's empty apiGroup, which the integration drops with the other empties.
        if (actual["objectRef"]?["apiGroup"] is JsonValue { } group && group.GetValue<string>() == string.Empty)
        {
            actual["objectRef"]!.AsObject().Remove("apiGroup");
        }

        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\n     got {actual.ToJsonString()}");
    }

    [Fact]
    public void Write_CoreGroupEvent_KeepsTheEmptyApiGroup()
    {
        var doc = Map(Fixture(0).Event, includeOriginal: false);

        Assert.Equal(string.Empty, (string?)doc["kubernetes"]!["audit"]!["objectRef"]!["apiGroup"]);
        Assert.Equal("v1", (string?)doc["kubeaudit"]!["object_api_version"]);
        Assert.Equal("coordination.k8s.io/v1", (string?)Map(Fixture(1).Event, false)["kubeaudit"]!["object_api_version"]);
    }

    [Fact]
    public void Write_Event_TimestampIsWhenTheRequestWasReceivedNotWhenItWasRead()
    {
        var doc = Map(Fixture(0).Event, includeOriginal: false);

        Assert.Equal("2026-03-04T06:22:18.819232Z", (string?)doc["@timestamp"]);
        Assert.Equal(200, (int?)doc["http"]!["response"]!["status_code"]);
        Assert.Equal("kubernetes.audit_logs", (string?)doc["event"]!["dataset"]);
    }

    [Fact]
    public void Write_ImpersonatedExecForbidden_KeepsImpersonationGroupsSubresourceAndStatus()
    {
        var doc = Map(Fixture(3).Event, includeOriginal: false);

        Assert.Equal("system:admin", (string?)doc["user"]!["effective"]!["name"]);
        Assert.Equal("system:authenticated", (string?)doc["user"]!["group"]!["name"]![0]);
        Assert.Equal("pods/exec", (string?)doc["kubeaudit"]!["resource_path"]);
        Assert.Equal(403, (int?)doc["http"]!["response"]!["status_code"]);
        Assert.Equal("failure", (string?)doc["event"]!["outcome"]);
    }

    [Theory]
    [InlineData("allow", 404, "failure")]
    [InlineData("allow", 500, "failure")]
    [InlineData("allow", 201, "success")]
    [InlineData("forbid", 403, "failure")]
    [InlineData(null, 200, "success")]
    [InlineData(null, 409, "failure")]
    public void Write_DecisionAndStatus_OutcomeCountsFailedAnswersToo(string? decision, int code, string outcome)
    {
        var annotations = decision is null ? string.Empty : $",\"annotations\":{{\"authorization.k8s.io/decision\":\"{decision}\"}}";
        var ev = ReaderHelpers.ParseOne($"{{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"x\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"responseStatus\":{{\"code\":{code}}}{annotations}}}");

        Assert.Equal(outcome, (string?)Map(ev, false)["event"]!["outcome"]);
    }

    [Fact]
    public void Write_NoDecisionNoStatus_NoOutcome()
    {
        var ev = ReaderHelpers.ParseOne("{\"kind\":\"Event\",\"auditID\":\"x\",\"stage\":\"RequestReceived\",\"verb\":\"get\"}");

        Assert.Null(Map(ev, false)["event"]!["outcome"]);
    }

    [Fact]
    public void Write_IncludeOriginal_EventOriginalIsTheEventAsRead()
    {
        var (ev, line) = Fixture(2);

        Assert.Equal(line, (string?)Map(ev, includeOriginal: true)["event"]!["original"]);
        Assert.Null(Map(ev, includeOriginal: false)["event"]!["original"]);
    }

    [Fact]
    public void Write_UnparseableSourceIp_NoIpFieldsAsThePipelinesFailedConversion()
    {
        var ev = ReaderHelpers.ParseOne("{\"kind\":\"Event\",\"auditID\":\"x\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"sourceIPs\":[\"10.0.0.1\",\"not-an-ip\"]}");
        var doc = Map(ev, false);

        Assert.Null(doc["source"]);
        Assert.Null(doc["client"]);
        Assert.Equal("[\"10.0.0.1\",\"not-an-ip\"]", doc["kubernetes"]!["audit"]!["sourceIPs"]!.ToJsonString());
    }

    [Fact]
    public void Write_CorpusEvents_EveryDocumentIsValidJsonAndItsAuditIsTheEventPrunedAsElasticPrunesIt()
    {
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(TestPaths.CorpusFile("events"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var reader = JsonLinesReader.OpenFile(file);
            foreach (var record in reader.ReadRecords())
            {
                if (record.Event is not { } ev || ev.GetUtf8Json().IsEmpty || ev.GetUtf8Json().Span[0] != (byte)'{' || IsGke(ev))
                {
                    continue;
                }

                var doc = Map(ev, includeOriginal: true);
                var expected = ReferencePrune(JsonNode.Parse(ev.GetUtf8Json().Span)!, "root") ?? new JsonObject();
                var actual = doc["kubernetes"]!["audit"]!;
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{ev.Location}: expected {expected.ToJsonString()}\n got {actual.ToJsonString()}");
                Assert.Equal(ev.ToJson(), (string?)doc["event"]!["original"]);
                Assert.Equal(ev.Verb is { Length: > 0 } ? ev.Verb : null, (string?)doc["event"]!["action"]);
                Assert.Equal(ev.Username is { Length: > 0 } ? ev.Username : null, (string?)doc["user"]?["name"]);
                count++;
            }
        }

        Assert.True(count > 1000, $"only {count} corpus events mapped");
    }

    private static bool IsGke(AuditEvent ev) => ev.GetUtf8Json().Span.IndexOf("\"protoPayload\""u8) >= 0;

    // An independent prune over a DOM, the integration's rules stated plainly.
    private static JsonNode? ReferencePrune(JsonNode? node, string scope)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject o:
            {
                var result = new JsonObject();
                foreach (var (key, value) in o.ToList())
                {
                    if (scope == "body" && key == "metadata")
                    {
                        continue;
                    }

                    var childScope = scope == "root" ? key switch
                    {
                        "requestObject" or "responseObject" => "body",
                        "objectRef" => "objectRef",
                        _ => "other",
                    } : "other";
                    var name = scope == "annotations" ? key.Replace('.', '_') : key;

                    if (scope == "root" && key == "annotations")
                    {
                        childScope = "annotations";
                    }

                    if (scope == "objectRef" && key == "apiGroup" && value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        result[name] = v.GetValue<string>();
                        continue;
                    }

                    if (ReferencePrune(value, childScope) is { } kept)
                    {
                        result[name] = kept;
                    }
                }

                return result.Count == 0 ? null : result;
            }

            case JsonArray a:
            {
                var result = new JsonArray();
                foreach (var item in a)
                {
                    if (ReferencePrune(item, "other") is { } kept)
                    {
                        result.Add(kept);
                    }
                }

                return result.Count == 0 ? null : result;
            }

            default:
                var valueNode = (JsonValue)node;
                return valueNode.GetValueKind() == JsonValueKind.String && valueNode.GetValue<string>().Length == 0 ? null : valueNode.DeepClone();
        }
    }

    internal static JsonObject Map(AuditEvent ev, bool includeOriginal)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, EcsDocument.WriterOptions))
        {
            EcsDocument.Write(ev, writer, includeOriginal);
        }

        // Strict parse: a document that is not valid JSON fails here.
        using var strict = JsonDocument.Parse(buffer.WrittenMemory);
        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    private static (AuditEvent Event, string Line) Fixture(int index)
    {
        var line = File.ReadAllLines(Path.Combine(s_fixtures, "events.jsonl"))[index];
        var ev = new AuditEventParser().Parse(Encoding.UTF8.GetBytes(line), "events.jsonl", index + 1, out var error);
        Assert.Null(error);
        return (ev!, line);
    }

    private static JsonArray ExpectedDocuments() => JsonNode.Parse(File.ReadAllText(Path.Combine(s_fixtures, "expected.json")))!.AsArray();

    // Leaf paths of a document, arrays taken whole (as the integration's tests compare them).
    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonObject o, string prefix)
    {
        foreach (var (key, value) in o)
        {
            var path = prefix + key;
            if (value is JsonObject child)
            {
                foreach (var leaf in Leaves(child, path + "."))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return (path, value);
            }
        }
    }

    private static JsonNode? At(JsonObject doc, string path)
    {
        JsonNode? node = doc;
        var rest = path;
        while (node is JsonObject o && rest.Length > 0)
        {
            // Keys may hold dots only inside kubernetes.audit.annotations (after de-dotting they do not), so split on dots.
            var dot = rest.IndexOf('.');
            var key = dot < 0 ? rest : rest[..dot];
            node = o[key];
            rest = dot < 0 ? string.Empty : rest[(dot + 1)..];
        }

        return rest.Length == 0 ? node : null;
    }
}
