namespace KubeAudit.Core.Detections;

/// <summary>The MITRE ATT&amp;CK techniques the built-in rules cite, so user rules can give just the ID.</summary>
public static class MitreTechniques
{
    private static readonly Dictionary<string, string> s_names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["T1053.007"] = "Scheduled Task/Job: Container Orchestration Job",
        ["T1070"] = "Indicator Removal",
        ["T1078"] = "Valid Accounts",
        ["T1078.001"] = "Valid Accounts: Default Accounts",
        ["T1090"] = "Proxy",
        ["T1098"] = "Account Manipulation",
        ["T1098.006"] = "Account Manipulation: Additional Container Cluster Roles",
        ["T1110"] = "Brute Force",
        ["T1133"] = "External Remote Services",
        ["T1136"] = "Create Account",
        ["T1485"] = "Data Destruction",
        ["T1528"] = "Steal Application Access Token",
        ["T1543.005"] = "Create or Modify System Process: Container Service",
        ["T1552.007"] = "Unsecured Credentials: Container API",
        ["T1572"] = "Protocol Tunneling",
        ["T1609"] = "Container Administration Command",
        ["T1610"] = "Deploy Container",
        ["T1611"] = "Escape to Host",
        ["T1613"] = "Container and Resource Discovery",
    };

    /// <summary>The technique's name, or null when it is not one the module knows.</summary>
    public static string? NameOf(string technique) => s_names.TryGetValue(technique, out var name) ? name : null;
}
