namespace KubeAudit;

/// <summary>What an audit policy decides for one request: the level, the omitted stages and the rule that decided.</summary>
public sealed class AuditLevelDecision
{
    /// <summary>None, Metadata, Request or RequestResponse; None when no rule matched.</summary>
    public string Level { get; internal set; } = "None";

    /// <summary>
    /// Stages that produce no event: the policy's omitStages joined with the matching rule's, without
    /// duplicates, in the order RequestReceived, ResponseStarted, ResponseComplete, Panic.
    /// </summary>
    public string[] OmitStages { get; internal set; } = [];

    /// <summary>Whether managedFields are dropped from logged bodies (the rule's setting, else the policy's).</summary>
    public bool OmitManagedFields { get; internal set; }

    /// <summary>0-based index of the rule that matched; null when none did.</summary>
    public int? RuleIndex { get; internal set; }

    /// <summary>1-based line of the rule that matched in its file; null when none did.</summary>
    public int? RuleLine { get; internal set; }

    /// <summary>The rule that matched; null when none did.</summary>
    public AuditPolicyRule? Rule { get; internal set; }

    /// <summary>The request evaluated.</summary>
    public AuditRequest Request { get; internal set; } = new();

    /// <summary>The logged event the request was taken from, when there was one.</summary>
    public AuditEvent? Event { get; internal set; }

    /// <summary>When the event happened, in UTC, when the decision was made for an event (null for a request).</summary>
    public DateTimeOffset? Time => Event?.Time;

    /// <summary>The level the event was logged at, when the decision was made for an event: compare with <see cref="Level"/>.</summary>
    public string? LoggedLevel => Event?.Level;

    /// <summary>The request's verb.</summary>
    public string Verb => Request.Verb;

    /// <summary>
    /// The resource as a policy rule matches it: <c>resource/subresource.group</c> (<c>pods/exec</c>, <c>deployments.apps</c>),
    /// or the URL path of a non-resource request.
    /// </summary>
    public string Resource => !Request.IsResourceRequest
        ? Request.Path
        : Request.Resource + (Request.Subresource.Length > 0 ? "/" + Request.Subresource : string.Empty) + (Request.ApiGroup.Length > 0 ? "." + Request.ApiGroup : string.Empty);

    /// <summary>The requesting user's name, or <c>(no user)</c>.</summary>
    public string User => Request.User ?? "(no user)";

    /// <inheritdoc />
    public override string ToString() =>
        RuleIndex is { } index ? $"{Level} (rules[{index}])" : $"{Level} (no rule matched)";
}
