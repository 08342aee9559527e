using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Formats;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>GKE audit logs from Cloud Logging (LogEntry with an AuditLog protoPayload); hand-made after the documented schema.</summary>
public class GkeLogEntryTests
{
    private const string Entry = """
        {
          "insertId": "85371f7c-2383-4041-96e8-dad63d2d1990",
          "labels": {
            "authorization.k8s.io/decision": "allow",
            "authorization.k8s.io/reason": "access granted by IAM permissions."
          },
          "logName": "projects/p/logs/cloudaudit.googleapis.com%2Factivity",
          "operation": {"first": true, "id": "85371f7c-2383-4041-96e8-dad63d2d1990", "last": true, "producer": "k8s.io"},
          "protoPayload": {
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
            "authenticationInfo": {"principalEmail": "dev@example.com"},
            "authorizationInfo": [{"granted": true, "permission": "io.k8s.core.v1.pods.exec.create", "resource": "core/v1/namespaces/shop/pods/web-0/exec"}],
            "methodName": "io.k8s.core.v1.pods.exec.create",
            "request": {"@type": "core.k8s.io/v1.PodExecOptions", "command": ["sh"]},
            "requestMetadata": {"callerIp": "203.0.113.7", "callerSuppliedUserAgent": "kubectl/v1.29.0 (linux/amd64) kubernetes/3f7a50f"},
            "resourceName": "core/v1/namespaces/shop/pods/web-0/exec",
            "serviceName": "k8s.io",
            "status": {}
          },
          "receiveTimestamp": "2024-03-01T10:00:01.5Z",
          "resource": {"type": "k8s_cluster", "labels": {"cluster_name": "prod", "location": "europe-west1", "project_id": "p"}},
          "severity": "NOTICE",
          "timestamp": "2024-03-01T10:00:00.123456Z"
        }
        """;

    [Fact]
    public void PrettyLogEntry_MapsOntoTheEvent_JsonIsTheEntry()
    {
        var ev = Single(Entry);

        Assert.Equal("create", ev.Verb);
        Assert.Equal("dev@example.com", ev.Username);
        Assert.Equal(["203.0.113.7"], ev.SourceIPs);
        Assert.Equal("kubectl/v1.29.0 (linux/amd64) kubernetes/3f7a50f", ev.UserAgent);
        Assert.Equal(("", "v1", "shop", "pods", "web-0", "exec"), (ev.ObjectRef!.ApiGroup, ev.ObjectRef.ApiVersion, ev.Namespace, ev.Resource, ev.Name, ev.Subresource));
        Assert.Equal(200, ev.Code);
        Assert.Equal("allow", ev.Annotations["authorization.k8s.io/decision"]);
        Assert.Equal("{\"@type\": \"core.k8s.io/v1.PodExecOptions\", \"command\": [\"sh\"]}", ev.RequestObject!.ToString());
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560), ev.RequestReceivedTimestamp);
        Assert.Equal("85371f7c-2383-4041-96e8-dad63d2d1990", ev.AuditId);
        Assert.Equal("Request", ev.Level);
        Assert.Equal("ResponseComplete", ev.Stage);
        Assert.Equal("/api/v1/namespaces/shop/pods/web-0/exec", ev.RequestUri);
        Assert.Equal(1, ev.Line);
        Assert.Equal(Entry, ev.ToJson());
    }

    [Fact]
    public void LogEntryLines_WithDeniedStatus_AndAnotherServiceSkipped()
    {
        var denied = """{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","serviceName":"k8s.io","methodName":"io.k8s.core.v1.secrets.list","resourceName":"core/v1/namespaces/kube-system/secrets","authenticationInfo":{"principalEmail":"system:anonymous"},"status":{"code":7,"message":"PERMISSION_DENIED"}},"timestamp":"2024-03-01T10:00:02Z","labels":{"authorization.k8s.io/decision":"forbid"}}""";
        var gce = """{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","serviceName":"compute.googleapis.com","methodName":"v1.compute.instances.insert"},"timestamp":"2024-03-01T10:00:03Z"}""";
        var cluster = """{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","serviceName":"k8s.io","methodName":"io.k8s.authorization.rbac.v1.clusterroles.delete","resourceName":"rbac.authorization.k8s.io/v1/clusterroles/viewer"},"timestamp":"2024-03-01T10:00:04Z"}""";

        var records = Read(denied + "\n" + gce + "\n" + cluster + "\n");

        Assert.Equal(AuditLogFormat.WrappedJsonLines, AuditSource.DetectFormat(System.Text.Encoding.UTF8.GetBytes(denied)));
        var list = records[0].Event!;
        Assert.Equal(("list", "system:anonymous", 403, "PERMISSION_DENIED"), (list.Verb, list.Username, list.Code, list.ResponseStatus!.Message));
        Assert.Equal(("kube-system", "secrets", (string?)null), (list.Namespace, list.Resource, list.Name));
        Assert.Equal(DiagnosticCodes.NotAnAuditEvent, records[1].Error!.Code);
        Assert.Contains("compute.googleapis.com", records[1].Error!.Message, StringComparison.Ordinal);
        var delete = records[2].Event!;
        Assert.Equal(("delete", "rbac.authorization.k8s.io", "clusterroles", "viewer", (string?)null), (delete.Verb, delete.ObjectRef!.ApiGroup, delete.Resource, delete.Name, delete.Namespace));
        Assert.Equal(200, delete.Code); // no status: google.rpc.Status leaves out an OK one
        Assert.Equal("/apis/rbac.authorization.k8s.io/v1/clusterroles/viewer", delete.RequestUri);
        Assert.Equal("Metadata", delete.Level);
    }

    [Theory]
    [InlineData("core/v1/namespaces/ns/pods/p", "", "v1", "ns", "pods", "p", null)]
    [InlineData("core/v1/namespaces/ns/pods", "", "v1", "ns", "pods", null, null)]
    [InlineData("core/v1/namespaces/ns", "", "v1", "ns", "namespaces", "ns", null)]
    [InlineData("core/v1/namespaces/ns/status", "", "v1", "ns", "namespaces", "ns", "status")]
    [InlineData("core/v1/namespaces/ns/finalize", "", "v1", "ns", "namespaces", "ns", "finalize")]
    [InlineData("apps/v1/namespaces/ns/deployments/d/scale", "apps", "v1", "ns", "deployments", "d", "scale")]
    [InlineData("core/v1/nodes/n1/proxy/metrics", "", "v1", null, "nodes", "n1", "proxy/metrics")]
    [InlineData("storage.k8s.io/v1/storageclasses", "storage.k8s.io", "v1", null, "storageclasses", null, null)]
    public void ResourceName_FollowsTheApiServersRequestInfoRules(string name, string group, string version, string? ns, string resource, string? objectName, string? sub)
    {
        var obj = GkeLogEntryReader.ObjectRefOf(name)!;

        Assert.Equal((group, version, ns, resource, objectName, sub), (obj.ApiGroup, obj.ApiVersion, obj.Namespace, obj.Resource, obj.Name, obj.Subresource));
    }

    [Fact]
    public void GcloudLoggingReadOutput_ArrayOfEntries()
    {
        var events = Read("[\n" + Entry + ",\n" + Entry + "\n]\n").Events();

        Assert.Equal([2L, 26L], events.Select(e => e.Line));
    }
}
