using System.Management.Automation;
using KubeAudit.Core.Stores;

namespace KubeAudit.Commands;

/// <summary>The store commands' ErrorRecords: Send-KubeAuditEvent and the store parameters it shares with Get-KubeAuditEvent.</summary>
internal static partial class Errors
{
    /// <summary>Error ID <c>KubeAudit.InvalidStoreUri</c>.</summary>
    public const string InvalidStoreUriId = "KubeAudit.InvalidStoreUri";

    /// <summary>Error ID <c>KubeAudit.CannotOpenStore</c>.</summary>
    public const string CannotOpenStoreId = "KubeAudit.CannotOpenStore";

    /// <summary>Error ID <c>KubeAudit.StoreAuthenticationFailed</c>: the store answered 401 or 403.</summary>
    public const string StoreAuthenticationFailedId = "KubeAudit.StoreAuthenticationFailed";

    /// <summary>Error ID <c>KubeAudit.StoreUnavailable</c>: no answer from the store.</summary>
    public const string StoreUnavailableId = "KubeAudit.StoreUnavailable";

    /// <summary>Error ID <c>KubeAudit.StoreRequestFailed</c>: any other failing answer.</summary>
    public const string StoreRequestFailedId = "KubeAudit.StoreRequestFailed";

    /// <summary>Error ID <c>KubeAudit.CheckpointNeedsFollow</c>.</summary>
    public const string CheckpointNeedsFollowId = "KubeAudit.CheckpointNeedsFollow";

    /// <summary>Error ID <c>KubeAudit.SchemaSwitchMismatch</c>.</summary>
    public const string SchemaSwitchMismatchId = "KubeAudit.SchemaSwitchMismatch";

    /// <summary>Error ID <c>KubeAudit.InvalidCheckpoint</c>.</summary>
    public const string InvalidCheckpointId = "KubeAudit.InvalidCheckpoint";

    /// <summary>Error ID <c>KubeAudit.CheckpointForOtherLog</c>.</summary>
    public const string CheckpointForOtherLogId = "KubeAudit.CheckpointForOtherLog";

    /// <summary>Error ID <c>KubeAudit.EventRefused</c>.</summary>
    public const string EventRefusedId = "KubeAudit.EventRefused";

    /// <summary>A store address that is not an absolute http or https URI.</summary>
    public static ErrorRecord InvalidStoreUri(Uri uri) =>
        new(new ArgumentException($"'{uri}' is not an http or https address of a store."), InvalidStoreUriId, ErrorCategory.InvalidArgument, uri);

    /// <summary>An engine that cannot be opened with the connection given (an unsupported engine is NotImplemented).</summary>
    public static ErrorRecord CannotOpenStore(Uri uri, Exception exception) =>
        new(exception, CannotOpenStoreId, exception is NotSupportedException ? ErrorCategory.NotImplemented : ErrorCategory.InvalidArgument, uri);

    /// <summary>A store that failed a request for good: refused credentials, no answer, or another failure; "engine uri target" is the target.</summary>
    public static ErrorRecord StoreFailed(StoreException exception, StoreConnection connection) =>
        new(
            exception,
            exception.StatusCode is 401 or 403 ? StoreAuthenticationFailedId : exception.StatusCode is null ? StoreUnavailableId : StoreRequestFailedId,
            exception.StatusCode is 401 or 403 ? ErrorCategory.AuthenticationError : exception.StatusCode is null ? ErrorCategory.ConnectionError : ErrorCategory.WriteError,
            $"{connection.Engine} {connection.Uri} {connection.Target}");

    /// <summary>-CheckpointPath without -Follow.</summary>
    public static ErrorRecord CheckpointNeedsFollow(string checkpointPath) =>
        new(
            new ArgumentException("-CheckpointPath goes with -Follow: it records how far a followed log was sent."),
            CheckpointNeedsFollowId,
            ErrorCategory.InvalidArgument,
            checkpointPath);

    /// <summary>The schema switch of the other engine: -CreateIndexTemplate with ClickHouse, or -CreateTable with any other.</summary>
    public static ErrorRecord SchemaSwitchMismatch(AuditStoreEngine engine) =>
        new(
            new ArgumentException(engine == AuditStoreEngine.ClickHouse
                ? "-CreateIndexTemplate is for Elasticsearch and OpenSearch; ClickHouse takes -CreateTable."
                : $"-CreateTable is for ClickHouse; {engine} takes -CreateIndexTemplate."),
            SchemaSwitchMismatchId,
            ErrorCategory.InvalidArgument,
            engine);

    /// <summary>A checkpoint file that cannot be read or is not a checkpoint.</summary>
    public static ErrorRecord InvalidCheckpoint(string checkpoint, Exception exception) =>
        new(exception, InvalidCheckpointId, ErrorCategory.InvalidData, checkpoint);

    /// <summary>A checkpoint recorded for another followed log than the one given.</summary>
    public static ErrorRecord CheckpointForOtherLog(string checkpoint, string recorded, string active) =>
        new(
            new InvalidOperationException($"The checkpoint '{checkpoint}' is for '{recorded}', not '{active}'; give each followed log its own checkpoint."),
            CheckpointForOtherLogId,
            ErrorCategory.InvalidArgument,
            checkpoint);

    /// <summary>One event the store refused, with where it was read and the store's reason; the event is the target.</summary>
    public static ErrorRecord EventRefused(StoreItemError item)
    {
        var message = $"{item.Event.Location}: the store refused the event ({item.StatusCode}): {item.Reason}";
        return new ErrorRecord(new InvalidDataException(message), EventRefusedId, ErrorCategory.WriteError, item.Event)
        {
            ErrorDetails = new ErrorDetails(message),
        };
    }
}
