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

    /// <summary>A line longer than the reader's limit; it was skipped.</summary>
    public const string LineTooLong = nameof(LineTooLong);

    /// <summary>An event cut short by an exporter (e.g. CloudWatch Logs' <c>[Truncated...]</c>); it cannot be read.</summary>
    public const string TruncatedEvent = nameof(TruncatedEvent);

    /// <summary>A <c>--audit-log-format=legacy</c> text line that cannot be parsed.</summary>
    public const string InvalidLegacyLine = nameof(InvalidLegacyLine);

    /// <summary>A pre-1.7 basic-audit response line whose request line was not found nearby.</summary>
    public const string UnmatchedLegacyResponse = nameof(UnmatchedLegacyResponse);

    /// <summary>A JSON document too large to be read whole into memory.</summary>
    public const string DocumentTooLarge = nameof(DocumentTooLarge);
}
