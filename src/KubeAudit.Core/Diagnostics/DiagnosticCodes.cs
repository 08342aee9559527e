namespace KubeAudit.Core.Diagnostics;

/// <summary>The stable codes the core reports; error IDs are <c>KubeAudit.&lt;code&gt;</c>.</summary>
public static class DiagnosticCodes
{
    /// <summary>A line or document is not well-formed JSON.</summary>
    public const string InvalidJson = nameof(InvalidJson);

    /// <summary>Well-formed JSON that is not an audit event.</summary>
    public const string NotAnAuditEvent = nameof(NotAnAuditEvent);

    /// <summary>An event field has a value of the wrong type or form.</summary>
    public const string InvalidEventField = nameof(InvalidEventField);

    /// <summary>A file could not be read.</summary>
    public const string ReadFailed = nameof(ReadFailed);

    /// <summary>A document is not valid YAML.</summary>
    public const string InvalidYaml = nameof(InvalidYaml);

    /// <summary>A YAML or JSON document is not an audit Policy.</summary>
    public const string NotAPolicy = nameof(NotAPolicy);

    /// <summary>A key the API server does not know and silently drops.</summary>
    public const string UnknownField = nameof(UnknownField);

    /// <summary>A policy field has a value of the wrong type or form.</summary>
    public const string InvalidPolicyField = nameof(InvalidPolicyField);
}
