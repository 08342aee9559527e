using KubeAudit.Core.Detections;
using KubeAudit.Core.Detections.Yaml;
using KubeAudit.Core.Diagnostics;
using static KubeAudit.Core.Tests.Detections.DetectionFixtures;

namespace KubeAudit.Core.Tests.Detections;

public class ThreatRuleFileReaderTests
{
    private const string Rules = """
        rules:
          - name: Custom.DeploymentDeleted
            severity: high
            description: "{user} deleted deployment {target}"
            mitre: T1485
            tags: [custom]
            condition:
              verb: delete
              objectRef.resource: deployments
              user.username: { not: "system:*" }
              responseStatus.code: { gte: 200, lte: 299 }
          - name: Custom.PrivilegedAny
            severity: Critical
            mitre: { id: T1611, name: Escape to Host }
            condition:
              resource: pods
              verb: create
              requestObject.spec.containers[*].securityContext.privileged: true
          - name: Custom.KubeSystemOrPublic
            condition:
              any:
                - namespace: kube-system
                - namespace: kube-public
              verb: [create, update]
              userAgent: { matches: "^kubectl/" , contains: linux }
              objectRef.subresource: ~
        allow:
          - users: [ops-bot]
            rules: [Custom.*]
        disable: [Workload.Proxy]
        """;

    private static List<string> Fired(ThreatRuleFile file, IEnumerable<AuditEvent> events) =>
        new ThreatEngine(file.Rules, new ThreatEngineOptions { ScopedAllow = file.Allow }).Inspect(events).Select(f => f.Rule).ToList();

    [Fact]
    public void Reads_rules_allow_lists_and_disabled_names()
    {
        var file = ThreatRuleFileReader.Read(Rules, "rules.yaml");
        Assert.Empty(file.Diagnostics);
        Assert.Equal(["Custom.DeploymentDeleted", "Custom.PrivilegedAny", "Custom.KubeSystemOrPublic"], file.Rules.Select(r => r.Info.Name));
        var first = file.Rules[0].Info;
        Assert.Equal(ThreatSeverity.High, first.Severity);
        Assert.Equal("T1485", first.Technique);
        Assert.Equal("Data Destruction", first.TechniqueName);
        Assert.Equal("rules.yaml", first.Source);
        Assert.Equal(2, first.Line);
        Assert.False(first.NeedsRequestBodies);
        Assert.True(file.Rules[1].Info.NeedsRequestBodies);
        Assert.Equal("Escape to Host", file.Rules[1].Info.TechniqueName);
        Assert.Equal(["Workload.Proxy"], file.Disable);
        Assert.Equal(["pods"], file.Rules[1].Resources!);
    }

    [Fact]
    public void Conditions_match_typed_fields_operators_and_bodies()
    {
        var file = ThreatRuleFileReader.Read(Rules, "rules.yaml");
        Assert.Equal(["Custom.DeploymentDeleted"], Fired(file, Falco("delete_deployment.json")));
        Assert.Equal(["Custom.PrivilegedAny"], Fired(file, Falco("create_nginx_pod_privileged_2nd_container.json")));
        Assert.Empty(Fired(file, Falco("create_nginx_pod_unprivileged.json")));
        Assert.Empty(Fired(file, [Event("delete", "deployments", null, "app", "web", user: "system:serviceaccount:kube-system:gc")]));
        Assert.Empty(Fired(file, [Event("delete", "deployments", null, "app", "web", code: 404)]));
        Assert.Equal(["Custom.KubeSystemOrPublic"], Fired(file, [Event("create", "configmaps", null, "kube-public", "x", code: 201)]));
        Assert.Empty(Fired(file, [Event("create", "configmaps", null, "default", "x", code: 201)]));
        Assert.Empty(Fired(file, [Event("create", "pods", "eviction", "kube-system", "x", code: 201)]));
    }

    [Fact]
    public void A_file_allow_list_applies_to_the_rules_it_names()
    {
        var file = ThreatRuleFileReader.Read(Rules, "rules.yaml");
        Assert.Empty(Fired(file, [Event("delete", "deployments", null, "app", "web", user: "ops-bot")]));
    }

    [Fact]
    public void A_body_rule_on_a_Metadata_event_reports_that_it_cannot_see()
    {
        var file = ThreatRuleFileReader.Read(Rules, "rules.yaml");
        var findings = new List<ThreatFinding>();
        var engine = new ThreatEngine(file.Rules);
        engine.Inspect(Event("create", "pods", null, "app", "web", code: 201, level: "Metadata"), findings);
        Assert.Empty(findings);
        Assert.Contains("Custom.PrivilegedAny (1)", engine.MissingBodiesNote()!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rules:\n  - name: A\n    condition: {verb: delete}\n    severity: Urgent\n", 4, "severity")]
    [InlineData("rules:\n  - name: A\n    severity: Low\n", 2, "no condition")]
    [InlineData("rules:\n  - name: A\n    condition:\n      verb: { near: delete }\n", 4, "Unknown operator")]
    [InlineData("rules:\n  - name: A\n    condition:\n      requestURI: { matches: '([' }\n", 4, "regular expression")]
    [InlineData("rules:\n  - name: A\n    condition: {verb: x}\n  - name: A\n    condition: {verb: y}\n", 4, "already defined")]
    [InlineData("rules:\n  - name: A\n    condition: [verb]\n", 3, "mapping")]
    [InlineData("rules: [\n", 2, "not valid YAML")]
    [InlineData("rulez: []\n", 1, "Unknown key")]
    public void Problems_are_diagnostics_with_the_line(string yaml, int line, string text)
    {
        var file = ThreatRuleFileReader.Read(yaml, "bad.yaml");
        var diagnostic = Assert.Single(file.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("bad.yaml", diagnostic.File);
        Assert.Equal(line, diagnostic.Line);
        Assert.Contains(text, diagnostic.Message);
    }

    [Fact]
    public void A_broken_rule_is_left_out_and_the_others_load()
    {
        var file = ThreatRuleFileReader.Read("rules:\n  - name: Bad\n  - name: Good\n    condition: {verb: delete}\n", "x.yaml");
        Assert.Single(file.Diagnostics);
        Assert.Equal("Good", Assert.Single(file.Rules).Info.Name);
    }

    [Fact]
    public void The_sample_rule_file_loads_cleanly()
    {
        var file = ThreatRuleFileReader.ReadFile(Path.Combine(TestPaths.RepositoryRoot, "samples", "threat-rules.yaml"));
        Assert.Empty(file.Diagnostics);
        Assert.NotEmpty(file.Rules);
    }
}
