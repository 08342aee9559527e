using System.Diagnostics;
using System.Text;
using KubeAudit.Core.Policy;

namespace KubeAudit.Bench;

/// <summary>
/// Policy checking (read, validate, lint) of a generated policy with <c>count</c> rules, the work
/// Test-KubeAuditPolicy, Enable -PolicyPath and the compliance checks do first. Rules vary in users,
/// verbs, namespaces and resources, as a large generated policy does.
/// </summary>
internal static class PolicyValidate
{
    public static (double Seconds, long Count) CheckRules(int count)
    {
        var text = Generate(count);
        PolicyChecker.CheckText(Generate(50)); // JIT warm-up
        var stopwatch = Stopwatch.StartNew();
        var result = PolicyChecker.CheckText(text, "generated.yaml");
        return (stopwatch.Elapsed.TotalSeconds, result.Policy?.Rules.Length ?? -1);
    }

    public static string Generate(int count)
    {
        var levels = new[] { "Metadata", "Request", "RequestResponse", "None" };
        var verbs = new[] { "get", "list", "watch", "create", "update", "patch", "delete" };
        var text = new StringBuilder("apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n");
        for (var i = 0; i < count; i++)
        {
            text.Append("- level: ").Append(levels[i % levels.Length]).Append('\n');
            text.Append("  users: [\"user-").Append(i % 97).Append("\"]\n");
            text.Append("  verbs: [").Append(verbs[i % verbs.Length]).Append(", ").Append(verbs[(i / 7) % verbs.Length]).Append("]\n");
            if (i % 5 == 4)
            {
                text.Append("  nonResourceURLs: [\"/custom-").Append(i).Append("/*\"]\n");
                continue;
            }

            text.Append("  namespaces: [\"ns-").Append(i % 131).Append("\"]\n");
            text.Append("  resources:\n  - group: \"group").Append(i % 11).Append(".example.com\"\n    resources: [\"res-").Append(i).Append("\"]\n");
        }

        text.Append("- level: Metadata\n");
        return text.ToString();
    }
}
