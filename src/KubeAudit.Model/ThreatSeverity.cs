namespace KubeAudit;

/// <summary>How urgent a threat finding is, lowest first, so severities compare with <c>-ge</c>.</summary>
public enum ThreatSeverity
{
    /// <summary>Worth a look when investigating; not an alert by itself.</summary>
    Info = 0,

    /// <summary>Unusual, rarely harmful on its own.</summary>
    Low = 1,

    /// <summary>Suspicious; review soon.</summary>
    Medium = 2,

    /// <summary>Likely an attack step or a dangerous change; review now.</summary>
    High = 3,

    /// <summary>Grants or shows control of the cluster.</summary>
    Critical = 4,
}
