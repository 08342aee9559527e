namespace KubeAudit.Core.Diagnostics;

/// <summary>The stable codes the core reports; error IDs are <c>KubeAudit.&lt;code&gt;</c>.</summary>
public static class DiagnosticCodes
{
    /// <summary>A line or document is not well-formed JSON.</summary>
    public const string InvalidJson = nameof(InvalidJson);

    /// <summary>Well-formed JSON that is not an audit event.</summary>
    public const string NotAnAuditEvent = nameof(NotAnAuditEvent);

    /// <summary>An input that is no audit log at all (binary, an image, other text): reading it stopped after a few records.</summary>
    public const string NotAnAuditLog = nameof(NotAnAuditLog);

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

    /// <summary>A manifest that is not a kube-apiserver Pod (another kind, or no API-server container).</summary>
    public const string NotAnApiServerPod = nameof(NotAnApiServerPod);

    /// <summary>A Pod with several containers and none clearly the API server.</summary>
    public const string AmbiguousContainer = nameof(AmbiguousContainer);

    /// <summary>A manifest layout the editor cannot change safely (flow-style lists without the key, a flag and its value in two items).</summary>
    public const string UnsupportedManifestLayout = nameof(UnsupportedManifestLayout);

    /// <summary>An existing audit setting differs from the wanted one and Force was not given.</summary>
    public const string AuditFlagConflict = nameof(AuditFlagConflict);

    /// <summary>The edited manifest, parsed again, does not hold exactly the intended changes.</summary>
    public const string ManifestVerificationFailed = nameof(ManifestVerificationFailed);

    /// <summary>Backing up or replacing a manifest failed; the original was left as it was.</summary>
    public const string ManifestWriteFailed = nameof(ManifestWriteFailed);

    /// <summary>A policy to install is not valid; nothing was written.</summary>
    public const string InvalidAuditPolicy = nameof(InvalidAuditPolicy);

    /// <summary>A path-valued audit flag whose path no volume mount serves.</summary>
    public const string AuditFlagNotMounted = nameof(AuditFlagNotMounted);

    /// <summary>The audit log file is mounted instead of its folder; rotation renames inside the folder and breaks.</summary>
    public const string AuditLogFileMounted = nameof(AuditLogFileMounted);

    /// <summary>The policy file named by <c>--audit-policy-file</c> does not exist on the host.</summary>
    public const string AuditPolicyMissing = nameof(AuditPolicyMissing);

    /// <summary>An audit flag value kube-apiserver rejects at start-up.</summary>
    public const string InvalidAuditFlag = nameof(InvalidAuditFlag);

    /// <summary>An <c>--audit-*</c> flag kube-apiserver does not know; it refuses to start.</summary>
    public const string UnknownAuditFlag = nameof(UnknownAuditFlag);

    /// <summary>A log or webhook backend without <c>--audit-policy-file</c>: no events are recorded.</summary>
    public const string AuditPolicyNotSet = nameof(AuditPolicyNotSet);

    /// <summary>A flag given more than once; the last one wins.</summary>
    public const string DuplicateFlag = nameof(DuplicateFlag);

    /// <summary>A kubeadm configuration file without exactly one ClusterConfiguration of a supported apiVersion (v1beta3, v1beta4).</summary>
    public const string NotAKubeadmConfig = nameof(NotAKubeadmConfig);

    /// <summary>A threat rule needs request bodies, and the log has none for an event it would inspect (level Metadata).</summary>
    public const string BodyNotLogged = nameof(BodyNotLogged);

    /// <summary>A threat rule file (YAML or PowerShell) has a rule that cannot be used.</summary>
    public const string InvalidThreatRule = nameof(InvalidThreatRule);

    /// <summary>A run of NUL bytes before an event on the same line (a crash with preallocated blocks); skipped.</summary>
    public const string NulBytesSkipped = nameof(NulBytesSkipped);

    /// <summary>A detection rule failed on one event (e.g. its regular expression timed out); the other rules and events went on.</summary>
    public const string RuleFailed = nameof(RuleFailed);

    /// <summary>A detection rule kept failing and was switched off for the rest of the scan.</summary>
    public const string RuleDisabled = nameof(RuleDisabled);

    /// <summary>A followed file was truncated in place (copy-truncate) and what was written just before could not be recovered from its copy.</summary>
    public const string FollowDataMissing = nameof(FollowDataMissing);

    /// <summary>A temporary file an interrupted earlier write left beside a manifest or policy was removed.</summary>
    public const string StaleTempFileRemoved = nameof(StaleTempFileRemoved);

    /// <summary>A webhook client POSTed a body that is not an audit.k8s.io EventList or Event; it was answered 400.</summary>
    public const string WebhookBatchRefused = nameof(WebhookBatchRefused);
}
