using KubeAudit.Core.Detections.BuiltIn;

namespace KubeAudit.Core.Tests.Detections;

public class ThreatRuleDocsTests
{
    [Fact]
    public void Every_built_in_rule_is_listed_in_the_help_with_its_severity_and_technique()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "en-US", "about_KubeAuditThreatRules.md"));
        foreach (var rule in BuiltInRules.Create().Select(r => r.Info))
        {
            var row = doc.Split('\n').FirstOrDefault(l => l.StartsWith("| " + rule.Name + " ", StringComparison.Ordinal));
            Assert.True(row is not null, $"{rule.Name} is not in the rule table of about_KubeAuditThreatRules.md");
            Assert.Contains(rule.Severity.ToString(), row);
            Assert.Contains(rule.Technique ?? "-", row);
        }
    }
}
