namespace KubeAudit.Core.Detections;

/// <summary>Builds <see cref="ThreatRule"/> descriptions (their setters are internal to the model).</summary>
public static class ThreatRules
{
    /// <summary>A rule description.</summary>
    public static ThreatRule Describe(
        string name,
        ThreatSeverity severity,
        string description,
        string condition,
        string? technique = null,
        string? techniqueName = null,
        string source = "BuiltIn",
        bool needsBodies = false,
        IReadOnlyList<string>? allow = null,
        IReadOnlyList<string>? tags = null,
        int line = 0) => new()
        {
            Name = name,
            Severity = severity,
            Description = description,
            Condition = condition,
            Technique = technique,
            TechniqueName = techniqueName ?? (technique is null ? null : MitreTechniques.NameOf(technique)),
            Source = source,
            NeedsRequestBodies = needsBodies,
            AllowList = allow?.ToArray() ?? [],
            Tags = tags?.ToArray() ?? [],
            Line = line,
        };

    /// <summary>A copy of <paramref name="rule"/> marked enabled or not.</summary>
    public static ThreatRule WithEnabled(ThreatRule rule, bool enabled) => new()
    {
        Name = rule.Name,
        Severity = rule.Severity,
        Description = rule.Description,
        Condition = rule.Condition,
        Technique = rule.Technique,
        TechniqueName = rule.TechniqueName,
        Source = rule.Source,
        NeedsRequestBodies = rule.NeedsRequestBodies,
        AllowList = rule.AllowList,
        Tags = rule.Tags,
        Line = rule.Line,
        Enabled = enabled,
    };
}
