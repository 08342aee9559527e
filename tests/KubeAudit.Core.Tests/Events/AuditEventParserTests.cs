using System.Text;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events;

namespace KubeAudit.Core.Tests.Events;

public class AuditEventParserTests
{
    private const string FullEvent =
        """{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a1b2","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/dev/pods?fieldSelector=a\u0026limit=5","verb":"create","user":{"username":"alice@example.com","uid":"u-1","groups":["devs","system:authenticated"],"extra":{"authentication.kubernetes.io/pod-name":["p1"]}},"impersonatedUser":{"username":"bob","groups":["ops"]},"authenticationMetadata":{"impersonationConstraint":"c1"},"sourceIPs":["10.0.0.1","10.0.0.2"],"userAgent":"kubectl/v1.31.0","objectRef":{"resource":"pods","namespace":"dev","name":"web","uid":"o-1","apiGroup":"","apiVersion":"v1","resourceVersion":"42","subresource":"exec"},"responseStatus":{"metadata":{},"status":"Failure","message":"no","reason":"Forbidden","details":{"name":"web","kind":"pods"},"code":403},"requestObject":{"kind":"Pod","spec":{"containers":[{"name":"c"}]}},"responseObject":[1,2,{"a":null}],"requestReceivedTimestamp":"2026-01-05T08:00:00.123456Z","stageTimestamp":"2026-01-05T08:00:00.223456Z","annotations":{"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":""}}""";

    [Fact]
    public void Parse_FullV1Event_MapsEveryField()
    {
        var ev = ReaderHelpers.ParseOne(FullEvent);

        Assert.Equal("Event", ev.Kind);
        Assert.Equal("audit.k8s.io/v1", ev.ApiVersion);
        Assert.Equal("RequestResponse", ev.Level);
        Assert.Equal("a1b2", ev.AuditId);
        Assert.Equal("ResponseComplete", ev.Stage);
        Assert.Equal("/api/v1/namespaces/dev/pods?fieldSelector=a&limit=5", ev.RequestUri);
        Assert.Equal("create", ev.Verb);
        Assert.Equal("alice@example.com", ev.User.Username);
        Assert.Equal("u-1", ev.User.Uid);
        Assert.Equal(["devs", "system:authenticated"], ev.User.Groups);
        Assert.Equal(["p1"], ev.User.Extra["authentication.kubernetes.io/pod-name"]);
        Assert.Equal("bob", ev.ImpersonatedUser!.Username);
        Assert.Equal(["ops"], ev.ImpersonatedUser.Groups);
        Assert.Equal("c1", ev.AuthenticationMetadata!.ImpersonationConstraint);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], ev.SourceIPs);
        Assert.Equal("kubectl/v1.31.0", ev.UserAgent);
        Assert.Equal("pods", ev.ObjectRef!.Resource);
        Assert.Equal("dev", ev.ObjectRef.Namespace);
        Assert.Equal("web", ev.ObjectRef.Name);
        Assert.Equal("o-1", ev.ObjectRef.Uid);
        Assert.Equal(string.Empty, ev.ObjectRef.ApiGroup);
        Assert.Equal("v1", ev.ObjectRef.ApiVersion);
        Assert.Equal("42", ev.ObjectRef.ResourceVersion);
        Assert.Equal("exec", ev.ObjectRef.Subresource);
        Assert.Equal("pods/exec", ev.ObjectRef.ResourcePath);
        Assert.Equal(403, ev.ResponseStatus!.Code);
        Assert.Equal("Failure", ev.ResponseStatus.Status);
        Assert.Equal("Forbidden", ev.ResponseStatus.Reason);
        Assert.Equal("no", ev.ResponseStatus.Message);
        Assert.Equal("""{"name":"web","kind":"pods"}""", ev.ResponseStatus.Details!.ToString());
        Assert.Equal("""{"kind":"Pod","spec":{"containers":[{"name":"c"}]}}""", ev.RequestObject!.ToString());
        Assert.Equal("""[1,2,{"a":null}]""", ev.ResponseObject!.ToString());
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero).AddTicks(1234560), ev.RequestReceivedTimestamp);
        Assert.Equal(TimeSpan.FromMilliseconds(100), ev.Latency);
        Assert.Equal("forbid", ev.Annotations["authorization.k8s.io/decision"]);
        Assert.Equal(string.Empty, ev.Annotations["authorization.k8s.io/reason"]);

        // Flat conveniences and origin.
        Assert.Equal(("alice@example.com", "dev", "pods", "exec", "web", 403), (ev.Username, ev.Namespace, ev.Resource, ev.Subresource, ev.Name, ev.Code));
        Assert.Equal(("x.log", 1L), (ev.File, ev.Line));
        Assert.Equal(FullEvent, ev.ToJson());
    }

    [Fact]
    public void Parse_V1Beta1Event_TakesTimesFromTimestampAndCreationTimestamp()
    {
        var ev = ReaderHelpers.ParseOne(
            """{"kind":"Event","apiVersion":"audit.k8s.io/v1beta1","metadata":{"creationTimestamp":"2017-09-11T19:55:06Z"},"level":"Metadata","timestamp":"2017-09-11T19:55:05Z","auditID":"x","stage":"ResponseComplete","verb":"list"}""");

        Assert.Equal(DateTimeOffset.Parse("2017-09-11T19:55:05Z", CultureInfo.InvariantCulture), ev.RequestReceivedTimestamp);
        Assert.Equal(DateTimeOffset.Parse("2017-09-11T19:55:06Z", CultureInfo.InvariantCulture), ev.StageTimestamp);
        Assert.Equal(TimeSpan.FromSeconds(1), ev.Latency);
    }

    [Fact]
    public void Parse_V1Beta1Event_PrefersMicroTimesWhenPresent()
    {
        var ev = ReaderHelpers.ParseOne(
            """{"timestamp":"2017-09-11T19:55:05Z","requestReceivedTimestamp":"2017-09-11T19:55:05.500000Z","verb":"get"}""");

        Assert.Equal(DateTimeOffset.Parse("2017-09-11T19:55:05.5Z", CultureInfo.InvariantCulture), ev.RequestReceivedTimestamp);
    }

    [Theory]
    [InlineData("rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io", "v1")]
    [InlineData("/v1", "", "v1")]
    public void Parse_V1Alpha1ObjectRef_SplitsGroupFromVersion(string apiVersion, string group, string version)
    {
        var ev = ReaderHelpers.ParseOne("""{"apiVersion":"audit.k8s.io/v1alpha1","verb":"get","objectRef":{"resource":"roles","apiVersion":"VERSION"}}""".Replace("VERSION", apiVersion));

        Assert.Equal(group, ev.ObjectRef!.ApiGroup);
        Assert.Equal(version, ev.ObjectRef.ApiVersion);
    }

    [Fact]
    public void Parse_TimeWithoutZone_IsUtc()
    {
        var ev = ReaderHelpers.ParseOne("""{"verb":"get","requestReceivedTimestamp":"2022-03-04 05:06:07.891"}""");

        Assert.Equal(new DateTimeOffset(2022, 3, 4, 5, 6, 7, 891, TimeSpan.Zero), ev.RequestReceivedTimestamp);
    }

    [Fact]
    public void Parse_NullsAndEmptyUser_GiveEmptyValues()
    {
        var ev = ReaderHelpers.ParseOne("""{"level":"Metadata","user":{},"sourceIPs":null,"objectRef":null,"responseStatus":null,"requestReceivedTimestamp":null,"annotations":null}""");

        Assert.Null(ev.Username);
        Assert.Empty(ev.SourceIPs);
        Assert.Null(ev.ObjectRef);
        Assert.Null(ev.Code);
        Assert.Null(ev.RequestReceivedTimestamp);
        Assert.Empty(ev.Annotations);
    }

    [Fact]
    public void Parse_UnknownFields_AreSkippedWhateverTheirShape()
    {
        var ev = ReaderHelpers.ParseOne("""{"p_log_type":"x","nested":{"a":[1,{"b":2}]},"verb":"delete","user":{"username":"u","future":{"x":1}}}""");

        Assert.Equal("delete", ev.Verb);
        Assert.Equal("u", ev.Username);
    }

    [Theory]
    [InlineData("""{"kind": 0}""", DiagnosticCodes.InvalidEventField, "'kind' must be a string", 10)]
    [InlineData("""{"verb":"get","user":"alice"}""", DiagnosticCodes.InvalidEventField, "'user' must be an object", 22)]
    [InlineData("""{"verb":"get","responseStatus":{"code":"200"}}""", DiagnosticCodes.InvalidEventField, "'responseStatus.code' must be an integer", 40)]
    [InlineData("""{"verb":"get","user":{"groups":["a",1]}}""", DiagnosticCodes.InvalidEventField, "'user.groups[1]' must be a string", 37)]
    [InlineData("""{"verb":"get","requestReceivedTimestamp":"yesterday"}""", DiagnosticCodes.InvalidEventField, "'requestReceivedTimestamp' must be a timestamp", 42)]
    [InlineData("""{"verb":"get",}""", DiagnosticCodes.InvalidJson, "not valid JSON", 15)]
    [InlineData("""{"verb":"get"} {"verb":"list"}""", DiagnosticCodes.InvalidJson, "not valid JSON", 16)]
    [InlineData("""{"verb":"get""", DiagnosticCodes.InvalidJson, "not valid JSON", 0)]
    [InlineData("""[{"verb":"get"}]""", DiagnosticCodes.NotAnAuditEvent, "expected a JSON object, found an array", 1)]
    [InlineData("""{"records":[]}""", DiagnosticCodes.NotAnAuditEvent, "no audit event field", 1)]
    [InlineData("""{"kind":"Pod","apiVersion":"v1","verb":"x"}""", DiagnosticCodes.NotAnAuditEvent, "kind is \"Pod\"", 1)]
    [InlineData("""42""", DiagnosticCodes.NotAnAuditEvent, "found a number", 1)]
    public void Parse_BadInput_GivesDiagnosticWithCodeAndPosition(string json, string code, string messagePart, long column)
    {
        var ev = new AuditEventParser().Parse(Encoding.UTF8.GetBytes(json), "bad.log", 7, out var error);

        Assert.Null(ev);
        Assert.NotNull(error);
        Assert.Equal(code, error.Code);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains(messagePart, error.Message);
        Assert.Equal("bad.log", error.File);
        Assert.Equal(7, error.Line);
        if (column > 0)
        {
            Assert.Equal(column, error.Column);
        }

        Assert.StartsWith(json[..Math.Min(json.Length, 10)], error.Snippet);
    }
}

public class AuditEventParserTranscodingTests
{
    [Fact]
    public void Parse_LoneSurrogateEscape_IsInvalidJsonNotAnException()
    {
        var line = "{\"verb\":\"get\",\"user\":{\"username\":\"a\\ud800b\"}}";
        var ev = new KubeAudit.Core.Events.AuditEventParser().Parse(System.Text.Encoding.UTF8.GetBytes(line), "x.log", 3, out var error);

        Assert.Null(ev);
        Assert.Equal(KubeAudit.Core.Diagnostics.DiagnosticCodes.InvalidJson, error!.Code);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Reader_LoneSurrogateLine_DoesNotStopTheFile()
    {
        var text = "{\"verb\":\"get\"}\n{\"verb\":\"\\ud800\"}\n{\"verb\":\"list\"}\n";

        var records = ReaderHelpers.ReadText(text);

        Assert.Equal(3, records.Count);
        Assert.Equal("list", records[2].Event!.Verb);
    }
}
