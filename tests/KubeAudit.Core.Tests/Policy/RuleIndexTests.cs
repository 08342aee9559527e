using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

/// <summary>
/// The rule index must give exactly the first match of the plain in-order scan (audit spec §2.2):
/// random policies and requests drawn from small value pools, so buckets, wildcards, literal '*'
/// and resource/subresource splits collide often.
/// </summary>
public class RuleIndexTests
{
    private static readonly string[] s_users = ["alice", "bob", "system:node:n1", "*"];
    private static readonly string[] s_groups = ["devs", "system:authenticated", "system:nodes", "*"];
    private static readonly string[] s_verbs = ["get", "list", "watch", "create", "delete", "*"];
    private static readonly string[] s_namespaces = ["", "default", "kube-system", "*"];
    private static readonly string[] s_apiGroups = ["", "apps", "rbac.authorization.k8s.io", "*"];
    private static readonly string[] s_resources = ["pods", "pods/exec", "pods/*", "*/status", "*", "secrets", "deployments", "a/b/c", "a/b", "a", "b/c"];
    private static readonly string[] s_names = ["web", "db", "*"];
    private static readonly string[] s_urls = ["/healthz", "/healthz*", "/api/*", "*", "/logs", "/logs**"];
    private static readonly string[] s_levels = ["None", "Metadata", "Request", "RequestResponse"];

    [Fact]
    public void IndexedResolution_EqualsLinearScan_OnRandomPolicies()
    {
        var random = new Random(20261206);
        var indexedHits = 0;
        for (var p = 0; p < 300; p++)
        {
            var rules = Enumerable.Range(0, random.Next(1, 40)).Select(_ => RandomRule(random)).ToArray();
            var policy = PolicyBuilder.Build(rules);
            var indexed = new LevelResolver(policy, indexFrom: 0);
            var linear = new LevelResolver(policy, indexFrom: int.MaxValue);
            for (var q = 0; q < 200; q++)
            {
                var request = RandomRequest(random);
                var expected = linear.LinearMatchIndex(request);
                Assert.True(expected == indexed.MatchIndex(request), $"policy {p}, request {q} ({request}): linear scan gives rule {expected}, index gives {indexed.MatchIndex(request)}");
                Assert.Equal(expected, linear.MatchIndex(request));
                indexedHits += expected >= 0 ? 1 : 0;
            }
        }

        // The comparison means something only if many requests do match a rule (and many do not).
        Assert.InRange(indexedHits, 300 * 200 / 10, 300 * 200 * 9 / 10);
    }

    [Fact]
    public void LargePolicy_UsesIndex_AndResolvesLikeTheScan()
    {
        // The default resolver indexes a policy above the threshold; answers must not change.
        var random = new Random(17);
        var rules = Enumerable.Range(0, LevelResolver.IndexFrom * 20).Select(_ => RandomRule(random)).ToArray();
        var resolver = new LevelResolver(PolicyBuilder.Build(rules));
        for (var q = 0; q < 2000; q++)
        {
            var request = RandomRequest(random);
            Assert.Equal(resolver.LinearMatchIndex(request), resolver.MatchIndex(request));
        }
    }

    private static AuditPolicyRule RandomRule(Random random)
    {
        var rule = new AuditPolicyRule
        {
            Level = Pick(random, s_levels),
            Users = Some(random, s_users, 0.3),
            UserGroups = Some(random, s_groups, 0.2),
            Verbs = Some(random, s_verbs, 0.5),
        };
        switch (random.Next(8))
        {
            case 0:
                // Any request kind; rare, as one such rule early on decides most requests.
                break;
            case 1 or 2 or 3:
                rule.NonResourceURLs = Some(random, s_urls, 1.0);
                break;
            default:
                rule.Namespaces = Some(random, s_namespaces, 0.4);
                rule.Resources = random.NextDouble() < 0.8
                    ? Enumerable.Range(0, random.Next(1, 3)).Select(_ => PolicyBuilder.Group(Pick(random, s_apiGroups), Some(random, s_resources, 0.85), Some(random, s_names, 0.2))).ToArray()
                    : [];
                if (rule.Namespaces.Length == 0 && rule.Resources.Length == 0)
                {
                    rule.Namespaces = [Pick(random, s_namespaces)];
                }

                break;
        }

        return rule;
    }

    private static AuditRequest RandomRequest(Random random)
    {
        var user = random.NextDouble() < 0.1 ? null : Pick(random, s_users);
        var request = new AuditRequest
        {
            User = user,
            Groups = user is null ? [] : Some(random, s_groups, 0.7),
            Verb = Pick(random, s_verbs),
            IsResourceRequest = random.NextDouble() < 0.75,
        };
        if (request.IsResourceRequest)
        {
            request.Namespace = Pick(random, s_namespaces);
            request.ApiGroup = Pick(random, s_apiGroups);
            var resource = Pick(random, ["pods", "secrets", "deployments", "a", "a/b", "b", "*", "pods/*", "nodes"]);
            (request.Resource, request.Subresource) = random.NextDouble() < 0.3
                ? (resource, Pick(random, ["exec", "status", "*", "c", "b/c"]))
                : (resource, string.Empty);
            request.Name = random.NextDouble() < 0.3 ? string.Empty : Pick(random, s_names);
        }
        else
        {
            request.Path = Pick(random, ["/healthz", "/healthz/etcd", "/api/v1", "/logs", "/logs/x", "/metrics", "*"]);
        }

        return request;
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    // With probability `chance`, 1–3 distinct values from the pool; otherwise none (= any).
    private static string[] Some(Random random, string[] pool, double chance) =>
        random.NextDouble() >= chance ? [] : pool.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToArray();
}
