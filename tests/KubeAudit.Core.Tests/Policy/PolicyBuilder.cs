namespace KubeAudit.Core.Tests.Policy;

/// <summary>Builds policies in code (the model's setters are internal and visible to the tests).</summary>
internal static class PolicyBuilder
{
    public static AuditPolicy Build(params AuditPolicyRule[] rules) => Build(rules, [], false);

    public static AuditPolicy Build(AuditPolicyRule[] rules, string[] omitStages, bool omitManagedFields = false)
    {
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i].Index = i;
            rules[i].Line = i + 10;
            rules[i].Column = 3;
        }

        return new AuditPolicy
        {
            ApiVersion = "audit.k8s.io/v1",
            Kind = "Policy",
            Rules = rules,
            OmitStages = omitStages,
            OmitManagedFields = omitManagedFields,
            File = "test-policy.yaml",
        };
    }

    public static GroupResources Group(string group, string[]? resources = null, string[]? names = null) =>
        new() { Group = group, Resources = resources ?? [], ResourceNames = names ?? [] };

    /// <summary>Reads YAML the way users write policies; the test fails on reader errors.</summary>
    public static AuditPolicy Yaml(string yaml)
    {
        var result = KubeAudit.Core.Policy.AuditPolicyReader.Read(yaml, "test.yaml");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }
}
