using KubeAudit.Core.Detections;
using KubeAudit.Core.Detections.BuiltIn;
using KubeAudit.Core.Diagnostics;
using static KubeAudit.Core.Tests.Detections.DetectionFixtures;

namespace KubeAudit.Core.Tests.Detections;

public class ThreatEngineTests
{
    [Fact]
    public void A_finding_carries_the_rule_the_event_and_a_filled_description()
    {
        var finding = Assert.Single(new ThreatEngine(BuiltInRules.Create()).Inspect(Falco("exec_pod.json")));
        Assert.Equal("Pod.Exec", finding.Rule);
        Assert.Equal(ThreatSeverity.High, finding.Severity);
        Assert.Equal("T1609", finding.Technique);
        Assert.Equal("Container Administration Command", finding.TechniqueName);
        Assert.Equal("minikube-user", finding.User);
        Assert.Equal("pods/exec", finding.Resource);
        Assert.Equal("default", finding.Namespace);
        Assert.Equal("ran a command in pod default/nginx-deployment-7998647bdf-phvq7: bash (container nginx1)", finding.Description);
        Assert.NotNull(finding.Event);
        Assert.Equal("exec_pod.json", finding.File);
        Assert.Equal(1, finding.Line);
    }

    [Fact]
    public void A_long_running_request_is_reported_once_across_its_stages()
    {
        var id = Guid.NewGuid().ToString();
        var events = new[]
        {
            Event("create", "pods", "exec", "app", "web-0", code: 101, stage: "RequestReceived", auditId: id),
            Event("create", "pods", "exec", "app", "web-0", code: 101, stage: "ResponseStarted", auditId: id),
            Event("create", "pods", "exec", "app", "web-0", code: 101, stage: "ResponseComplete", auditId: id),
        };
        Assert.Equal(["Pod.Exec"], Fired(events));
    }

    [Fact]
    public void Body_rules_say_once_per_run_how_many_events_they_could_not_see()
    {
        var engine = new ThreatEngine(BuiltInRules.Create());
        var findings = new List<ThreatFinding>();
        Assert.Null(engine.MissingBodiesNote());
        for (var i = 0; i < 3; i++)
        {
            var configMap = Event("create", "configmaps", null, "app", "settings-" + i, code: 201, level: "Metadata");
            configMap.File = i == 0 ? "a.log" : "b.log";
            engine.Inspect(configMap, findings);
        }

        engine.Inspect(Event("create", "pods", null, "app", "web", code: 201, level: "Metadata"), findings);

        Assert.Empty(findings);
        var note = engine.MissingBodiesNote();
        Assert.NotNull(note);
        Assert.Equal(DiagnosticCodes.BodyNotLogged, note.Code);
        Assert.StartsWith("4 events could not be inspected", note.Message, StringComparison.Ordinal);
        Assert.Contains("ConfigMap.Credentials (3)", note.Message, StringComparison.Ordinal);
        Assert.Contains("Pod.Privileged (1)", note.Message, StringComparison.Ordinal);
        Assert.Equal("a.log", note.File);
    }

    [Fact]
    public void Allow_lists_silence_users_groups_and_namespaces()
    {
        var exec = Falco("exec_pod.json");
        Assert.Empty(Fired(exec, new ThreatEngineOptions { Allow = ["minikube-*"] }));
        Assert.Empty(Fired(exec, new ThreatEngineOptions { Allow = ["group:system:masters"] }));
        Assert.Empty(Fired(exec, new ThreatEngineOptions { Allow = ["namespace:default"] }));
        Assert.Empty(Fired(exec, new ThreatEngineOptions { ScopedAllow = [new ScopedAllowList(["Pod.*"], ["minikube-user"])] }));
        Assert.Equal(["Pod.Exec"], Fired(exec, new ThreatEngineOptions { ScopedAllow = [new ScopedAllowList(["Secret.*"], ["minikube-user"])] }));
    }

    [Fact]
    public void The_default_allow_list_of_system_identities_can_be_dropped()
    {
        var read = Event("get", "secrets", null, "kube-system", "bootstrap-token-abcdef", user: "system:kube-controller-manager");
        Assert.Empty(Fired([read]));
        Assert.Equal(["Secret.ReadByUnusualIdentity"], Fired([read], new ThreatEngineOptions { NoDefaultAllowList = true }));
    }

    [Fact]
    public void Minimum_severity_drops_lower_findings()
    {
        var events = Falco("create_serviceaccount_kube_system_namespace.json").Concat(Falco("attach_cluster_admin_role.json"));
        Assert.Equal(["Rbac.ClusterAdminBinding"], Fired(events, new ThreatEngineOptions { MinimumSeverity = ThreatSeverity.High }));
    }

    [Fact]
    public void The_burst_threshold_and_window_are_configurable()
    {
        var t0 = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        var failures = Enumerable.Range(0, 4).Select(i => Event("get", "secrets", null, "default", "x", user: "mallory", code: 401, time: t0.AddSeconds(i))).ToList();
        var engine = new ThreatEngine(BuiltInRules.Create(burstThreshold: 3, burstWindow: TimeSpan.FromSeconds(5)));
        var finding = Assert.Single(engine.Inspect(failures), f => f.Rule == FailureBurstRule.RuleName);
        Assert.Contains("3 failed requests", finding.Description);
    }

    [Fact]
    public void No_built_in_rule_fires_on_the_malformed_trace_or_on_routine_traffic()
    {
        var routine = Falco("create_deployment.json").Concat(Falco("delete_deployment.json")).Concat(Falco("create_service.json"));
        Assert.Empty(Fired(routine));
    }
}
