using System.Text.RegularExpressions;

namespace KubeAudit.Core.Stores.Elasticsearch;

/// <summary>
/// The composable index template (Elasticsearch 7.8+, OpenSearch 1.0+) for the documents KubeAudit sends: the ECS fields
/// and kubernetes.audit typed for the filters and for the integration's detection rules; bodies, user extras and status
/// details kept in _source but not indexed (so no body can cause a mapping conflict or a field explosion). Only types both
/// Elasticsearch and OpenSearch have (no flattened, constant_keyword, match_only_text, wildcard).
/// </summary>
public static partial class IndexTemplate
{
    /// <summary>Above the integration's own templates (200) and the built-in logs template (100), for the exact target only.</summary>
    public const int Priority = 300;

    /// <summary>Whether <paramref name="target"/> names a data stream, <c>logs-&lt;dataset&gt;-&lt;namespace&gt;</c> as Elastic names them.</summary>
    public static bool IsDataStream(string target) => DataStreamName().IsMatch(target);

    /// <summary>The template's name: <c>kubeaudit-&lt;target&gt;</c>.</summary>
    public static string NameFor(string target) => "kubeaudit-" + target;

    /// <summary>The template body for <paramref name="target"/>.</summary>
    public static string For(string target)
    {
        var dataStream = IsDataStream(target) ? "\"data_stream\": {}," : string.Empty;
        var pattern = System.Text.Json.JsonSerializer.Serialize(target);
        return $$"""
            {
              "index_patterns": [{{pattern}}],
              "priority": {{Priority}},
              {{dataStream}}
              "_meta": { "managed_by": "KubeAudit", "description": "Kubernetes audit events as ECS documents (Send-KubeAuditEvent)" },
              "template": {
                "settings": { "index": { "mapping": { "total_fields": { "limit": 2000 } } } },
                "mappings": {{Mappings}}
              }
            }
            """;
    }

    /// <summary>The mappings: unknown fields stay in _source, unindexed (dynamic false), except annotations.</summary>
    public const string Mappings = """
        {
          "dynamic": false,
          "dynamic_templates": [
            { "annotations": { "path_match": "kubernetes.audit.annotations.*", "match_mapping_type": "string", "mapping": { "type": "keyword", "ignore_above": 8191 } } }
          ],
          "properties": {
            "@timestamp": { "type": "date_nanos" },
            "ecs": { "properties": { "version": { "type": "keyword" } } },
            "event": { "properties": {
              "kind": { "type": "keyword" }, "dataset": { "type": "keyword" }, "action": { "type": "keyword" }, "outcome": { "type": "keyword" },
              "original": { "type": "keyword", "index": false, "doc_values": false }
            } },
            "http": { "properties": { "response": { "properties": { "status_code": { "type": "long" } } } } },
            "user": { "properties": {
              "name": { "type": "keyword" }, "id": { "type": "keyword" },
              "group": { "properties": { "name": { "type": "keyword" } } },
              "effective": { "properties": { "name": { "type": "keyword" }, "id": { "type": "keyword" } } }
            } },
            "user_agent": { "properties": { "original": { "type": "keyword", "ignore_above": 1024 } } },
            "source": { "properties": { "ip": { "type": "ip" } } },
            "client": { "properties": { "ip": { "type": "ip" } } },
            "related": { "properties": { "ip": { "type": "ip" }, "user": { "type": "keyword" } } },
            "orchestrator": { "properties": {
              "type": { "type": "keyword" }, "api_version": { "type": "keyword" }, "namespace": { "type": "keyword" },
              "resource": { "properties": { "name": { "type": "keyword" }, "type": { "type": "keyword" } } }
            } },
            "kubeaudit": { "properties": { "resource_path": { "type": "keyword" }, "object_api_version": { "type": "keyword" } } },
            "kubernetes": { "properties": { "audit": { "properties": {
              "kind": { "type": "keyword" }, "apiVersion": { "type": "keyword" }, "level": { "type": "keyword" },
              "auditID": { "type": "keyword" }, "stage": { "type": "keyword" }, "requestURI": { "type": "keyword", "ignore_above": 8191 },
              "verb": { "type": "keyword" }, "userAgent": { "type": "keyword", "ignore_above": 1024 }, "sourceIPs": { "type": "keyword" },
              "requestReceivedTimestamp": { "type": "date_nanos" }, "stageTimestamp": { "type": "date_nanos" },
              "user": { "properties": {
                "username": { "type": "keyword" }, "uid": { "type": "keyword" }, "groups": { "type": "keyword" },
                "extra": { "type": "object", "enabled": false }
              } },
              "impersonatedUser": { "properties": {
                "username": { "type": "keyword" }, "uid": { "type": "keyword" }, "groups": { "type": "keyword" },
                "extra": { "type": "object", "enabled": false }
              } },
              "objectRef": { "properties": {
                "resource": { "type": "keyword" }, "subresource": { "type": "keyword" }, "namespace": { "type": "keyword" },
                "name": { "type": "keyword" }, "uid": { "type": "keyword" }, "apiGroup": { "type": "keyword" },
                "apiVersion": { "type": "keyword" }, "resourceVersion": { "type": "keyword" }
              } },
              "responseStatus": { "properties": {
                "code": { "type": "integer" }, "status": { "type": "keyword" }, "reason": { "type": "keyword" },
                "message": { "type": "text" }, "details": { "type": "object", "enabled": false }
              } },
              "annotations": { "type": "object", "dynamic": true, "properties": {
                "authorization_k8s_io/decision": { "type": "keyword" }, "authorization_k8s_io/reason": { "type": "text" }
              } },
              "requestObject": { "type": "object", "dynamic": false, "properties": {
                "kind": { "type": "keyword" },
                "roleRef": { "properties": { "kind": { "type": "keyword" }, "name": { "type": "keyword" } } },
                "spec": { "properties": {
                  "hostIPC": { "type": "boolean" }, "hostNetwork": { "type": "boolean" }, "hostPID": { "type": "boolean" },
                  "serviceAccountName": { "type": "keyword" }, "restartPolicy": { "type": "keyword" },
                  "containers": { "properties": {
                    "image": { "type": "keyword" },
                    "securityContext": { "properties": {
                      "privileged": { "type": "boolean" }, "allowPrivilegeEscalation": { "type": "boolean" },
                      "runAsUser": { "type": "long" }, "runAsNonRoot": { "type": "boolean" },
                      "capabilities": { "properties": { "add": { "type": "keyword" } } }
                    } }
                  } },
                  "volumes": { "properties": { "hostPath": { "properties": { "path": { "type": "keyword" } } } } }
                } }
              } },
              "responseObject": { "type": "object", "dynamic": false, "properties": {
                "kind": { "type": "keyword" },
                "roleRef": { "properties": { "kind": { "type": "keyword" }, "name": { "type": "keyword" } } }
              } },
              "authenticationMetadata": { "type": "object", "enabled": false }
            } } } }
          }
        }
        """;

    [GeneratedRegex(@"^logs-[^-*,/\\ ]+-[^-*,/\\ ]+$")]
    private static partial Regex DataStreamName();
}
