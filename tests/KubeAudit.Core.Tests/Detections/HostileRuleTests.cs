using KubeAudit.Core.Detections;
using KubeAudit.Core.Detections.BuiltIn;
using KubeAudit.Core.Detections.Yaml;
using KubeAudit.Core.Diagnostics;
using static KubeAudit.Core.Tests.Detections.DetectionFixtures;

namespace KubeAudit.Core.Tests.Detections;

/// <summary>
/// One crafted request URL must not blind detection: a user rule whose pattern backtracks
/// catastrophically fails for that event only (a warning naming rule and event), every other rule and
/// the rest of the scan go on, and a rule that keeps timing out is switched off with a warning.
/// </summary>
public class HostileRuleTests
{
    // The classic catastrophic pattern: NonBacktracking runs it in linear time.
    private const string Nested = "^/api/v1/namespaces/app/pods/web-0/exec\\?command=(a+)+$";

    // A lookahead cannot be compiled NonBacktracking, so this one backtracks, under a timeout.
    private const string Lookahead = "^(?=/api/v1/namespaces/app/pods/web-0/exec\\?command=(a+)+$)";

    private static readonly string s_hostileUri = "/api/v1/namespaces/app/pods/web-0/exec?command=" + new string('a', 40) + "!";

    [Fact]
    public void A_nested_quantifier_runs_without_backtracking_and_still_matches()
    {
        var (engine, _) = Engine(Nested);
        var findings = new List<ThreatFinding>();
        var notes = new List<Diagnostic>();

        engine.Inspect(Exec(s_hostileUri), findings, notes);
        engine.Inspect(Exec("/api/v1/namespaces/app/pods/web-0/exec?command=aaa"), findings, notes);

        Assert.Empty(notes);
        Assert.Equal(2, findings.Count(f => f.Rule == "Pod.Exec"));
        Assert.EndsWith("command=aaa", Assert.Single(findings, f => f.Rule == "Custom.Uri").Event!.RequestUri);
    }

    [Fact]
    public void A_rule_that_times_out_is_a_warning_for_that_event_and_is_switched_off_after_repeated_timeouts()
    {
        var (engine, rule) = Engine(Lookahead);
        var findings = new List<ThreatFinding>();
        var notes = new List<Diagnostic>();
        var events = Enumerable.Range(0, ThreatEngine.MaxRuleFailures + 2).Select(_ => Exec(s_hostileUri)).ToList();

        foreach (var ev in events)
        {
            engine.Inspect(ev, findings, notes);
        }

        // Every built-in finding is still there, one per event.
        Assert.Equal(events.Count, findings.Count(f => f.Rule == "Pod.Exec"));
        Assert.DoesNotContain(findings, f => f.Rule == rule);
        var failures = notes.Where(n => n.Code == DiagnosticCodes.RuleFailed).ToList();
        Assert.Equal(ThreatEngine.MaxRuleFailures, failures.Count);
        Assert.All(failures, n => Assert.Contains(rule, n.Message));
        Assert.All(failures, n => Assert.Equal(DiagnosticSeverity.Warning, n.Severity));
        var off = Assert.Single(notes, n => n.Code == DiagnosticCodes.RuleDisabled);
        Assert.Contains(rule, off.Message);
        Assert.True(notes.IndexOf(off) > notes.IndexOf(failures[^1]));
    }

    [Fact]
    public void A_rule_file_that_does_not_parse_leaves_the_built_in_rules_alone()
    {
        var file = ThreatRuleFileReader.Read("rules:\n- {name: [x\n- name: y\ndisable: ['*']\n", "broken.yaml");

        Assert.Empty(file.Rules);
        Assert.Empty(file.Disable);
        Assert.Contains(file.Diagnostics, d => d.Code == DiagnosticCodes.InvalidYaml);
    }

    private static AuditEvent Exec(string uri) => Event("create", "pods", "exec", "app", "web-0", code: 101, uri: uri);

    private static (ThreatEngine Engine, string Rule) Engine(string pattern)
    {
        var yaml = $"rules:\n  - name: Custom.Uri\n    severity: high\n    condition:\n      requestURI: {{ matches: '{pattern}' }}\n";
        var file = ThreatRuleFileReader.Read(yaml, "hostile.yaml");
        Assert.Empty(file.Diagnostics);
        return (new ThreatEngine([.. BuiltInRules.Create(), .. file.Rules]), "Custom.Uri");
    }
}
