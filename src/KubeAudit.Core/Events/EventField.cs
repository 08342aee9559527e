namespace KubeAudit.Core.Events;

/// <summary>Top-level Event keys, recognised from their bytes in one switch instead of a chain of comparisons.</summary>
internal enum EventField
{
    Unknown,
    Kind,
    ApiVersion,
    Level,
    AuditId,
    Stage,
    RequestUri,
    Verb,
    User,
    ImpersonatedUser,
    AuthenticationMetadata,
    SourceIps,
    UserAgent,
    ObjectRef,
    ResponseStatus,
    RequestObject,
    ResponseObject,
    RequestReceivedTimestamp,
    StageTimestamp,
    Annotations,
    Timestamp,
    Metadata,

    /// <summary>OpenShift ViaQ: the event's own level, kept aside when the collector wrote its log level over <c>level</c>.</summary>
    ViaqAuditLevel,
}

internal static class EventFields
{
    /// <summary>The field for an unescaped key; JSON keys are case-sensitive, as the API server's decoder is.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static EventField Lookup(ReadOnlySpan<byte> key) => key.Length switch
    {
        4 when key.SequenceEqual("kind"u8) => EventField.Kind,
        4 when key.SequenceEqual("verb"u8) => EventField.Verb,
        4 when key.SequenceEqual("user"u8) => EventField.User,
        5 when key.SequenceEqual("level"u8) => EventField.Level,
        5 when key.SequenceEqual("stage"u8) => EventField.Stage,
        7 when key.SequenceEqual("auditID"u8) => EventField.AuditId,
        8 when key.SequenceEqual("metadata"u8) => EventField.Metadata,
        9 when key.SequenceEqual("sourceIPs"u8) => EventField.SourceIps,
        9 when key.SequenceEqual("userAgent"u8) => EventField.UserAgent,
        9 when key.SequenceEqual("objectRef"u8) => EventField.ObjectRef,
        9 when key.SequenceEqual("timestamp"u8) => EventField.Timestamp,
        10 when key.SequenceEqual("apiVersion"u8) => EventField.ApiVersion,
        10 when key.SequenceEqual("requestURI"u8) => EventField.RequestUri,
        11 when key.SequenceEqual("annotations"u8) => EventField.Annotations,
        13 when key.SequenceEqual("requestObject"u8) => EventField.RequestObject,
        14 when key.SequenceEqual("responseStatus"u8) => EventField.ResponseStatus,
        14 when key.SequenceEqual("responseObject"u8) => EventField.ResponseObject,
        14 when key.SequenceEqual("stageTimestamp"u8) => EventField.StageTimestamp,
        15 when key.SequenceEqual("k8s_audit_level"u8) => EventField.ViaqAuditLevel,
        21 when key.SequenceEqual("openshift_audit_level"u8) => EventField.ViaqAuditLevel,
        16 when key.SequenceEqual("impersonatedUser"u8) => EventField.ImpersonatedUser,
        22 when key.SequenceEqual("authenticationMetadata"u8) => EventField.AuthenticationMetadata,
        24 when key.SequenceEqual("requestReceivedTimestamp"u8) => EventField.RequestReceivedTimestamp,
        _ => EventField.Unknown,
    };
}
