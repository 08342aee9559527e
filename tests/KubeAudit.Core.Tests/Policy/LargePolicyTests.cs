using System.Text;
using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

/// <summary>
/// Large policies: the shadowed-rule check is indexed instead of comparing every pair, and must give
/// exactly the pairwise answers; a long check stops when cancelled (Ctrl+C in the commands).
/// </summary>
public class LargePolicyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ShadowedRules_AreThoseThePairwiseComparisonFinds(int seed)
    {
        var policy = AuditPolicyReader.Read(RandomPolicy(new Random(seed), 300), "p.yaml").Policy!;
        var rules = policy.Rules;
        var expected = new List<string>();
        for (var j = 1; j < rules.Length; j++)
        {
            var first = Enumerable.Range(0, j).FirstOrDefault(i => RuleCoverage.Covers(rules[i], rules[j]), -1);
            if (first >= 0)
            {
                expected.Add($"rules[{j}] by rules[{first}]");
            }
        }

        var actual = PolicyLinter.Lint(policy)
            .Where(f => f.Code == PolicyFindingCodes.ShadowedRule)
            .Select(f => $"{f.Path} by {f.Message.Split("unreachable: ")[1].Split(' ')[0]}")
            .ToList();

        Assert.True(expected.Count > 20, "the random policy must shadow a fair number of rules");
        Assert.Equal(expected.Order(), actual.Order());
    }

    [Fact]
    public void CheckText_Cancelled_StopsWithOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var text = RandomPolicy(new Random(7), 2000);

        Assert.ThrowsAny<OperationCanceledException>(() => PolicyChecker.CheckText(text, "p.yaml", null, cancel.Token));
    }

    [Fact]
    public void ReadingAndScanning_Cancelled_StopWithOperationCanceled()
    {
        // Parsing a huge file takes seconds too: Ctrl+C must not wait for it to finish.
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var text = RandomPolicy(new Random(7), 2000);

        Assert.NotNull(AuditPolicyReader.Read(text, "p.yaml").Policy);
        Assert.ThrowsAny<OperationCanceledException>(() => AuditPolicyReader.Read(text, "p.yaml", cancel.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => YamlScalarHazards.Scan(text, "p.yaml", cancel.Token));
    }

    // Rules drawn from a small vocabulary, so that many cover others, with and without users, verbs, resources, wildcards.
    private static string RandomPolicy(Random random, int count)
    {
        string[] users = ["alice", "bob", "system:kube-proxy"];
        string[] verbs = ["get", "list", "watch", "create", "delete"];
        string[] resources = ["pods", "pods/log", "pods/*", "secrets", "configmaps", "*", "*/status", "deployments"];
        string[] groups = ["", "apps", "*"];
        string[] urls = ["/healthz", "/healthz*", "/healthz/etcd", "/livez", "/h*", "/**", "*", "/healthz/*"];
        string[] levels = ["None", "Metadata", "Request", "RequestResponse"];
        T[] Some<T>(T[] from, int max) => from.OrderBy(_ => random.Next()).Take(random.Next(0, max + 1)).ToArray();
        string List(string[] values) => "[" + string.Join(", ", values.Select(v => "\"" + v + "\"")) + "]";

        var text = new StringBuilder("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n");
        for (var i = 0; i < count; i++)
        {
            text.Append("- level: ").Append(levels[random.Next(levels.Length)]).Append('\n');
            if (Some(users, 2) is { Length: > 0 } u)
            {
                text.Append("  users: ").Append(List(u)).Append('\n');
            }

            if (Some(verbs, 3) is { Length: > 0 } v)
            {
                text.Append("  verbs: ").Append(List(v)).Append('\n');
            }

            switch (random.Next(4))
            {
                case 0:
                    text.Append("  nonResourceURLs: ").Append(List(Some(urls, 2).DefaultIfEmpty("/healthz").ToArray())).Append('\n');
                    break;
                case 1:
                    text.Append("  namespaces: ").Append(List(Some(["default", "kube-system"], 2))).Append('\n');
                    break;
                case 2:
                    text.Append("  resources:\n");
                    foreach (var g in Some(groups, 2).DefaultIfEmpty(""))
                    {
                        text.Append("  - group: \"").Append(g).Append("\"\n");
                        if (Some(resources, 2) is { Length: > 0 } r)
                        {
                            text.Append("    resources: ").Append(List(r)).Append('\n');
                        }
                    }

                    break;
            }
        }

        return text.ToString();
    }
}

/// <summary>The compliance checks validate the policy first: that check stops when cancelled too.</summary>
public class ComplianceCancelTests
{
    [Fact]
    public void Evaluate_Cancelled_StopsWhileCheckingThePolicy()
    {
        var policy = Path.Combine(Path.GetTempPath(), "kubeaudit-cancel-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(policy, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n");
        try
        {
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();
            var options = new KubeAudit.Core.Compliance.ComplianceOptions { ManifestPath = policy + ".missing", PolicyPath = policy, Cancel = cancel.Token };

            Assert.ThrowsAny<OperationCanceledException>(() => KubeAudit.Core.Compliance.ComplianceEvaluator.Evaluate(options));
        }
        finally
        {
            File.Delete(policy);
        }
    }
}
