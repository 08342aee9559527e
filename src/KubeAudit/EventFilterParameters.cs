using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Commands;

/// <summary>
/// The event filter parameters (-Verb to -AuditId) of Get-KubeAuditEvent and Receive-KubeAuditEvent. Each declares
/// them itself: a cmdlet class has one base (Get-KubeAuditEvent's is the log reader), and as dynamic parameters
/// -Verb would bind as an abbreviation of -Verbose. What they mean is written once, in <see cref="EventFilterParameters.ToFilter"/>.
/// </summary>
internal interface IEventFilterParameters
{
    string[] Verb { get; }

    string[] User { get; }

    string[] Group { get; }

    string[] Resource { get; }

    string[] Namespace { get; }

    string[] Name { get; }

    string[] Level { get; }

    string[] Stage { get; }

    int[] Code { get; }

    DateTime? Since { get; }

    DateTime? Until { get; }

    string[] AuditId { get; }
}

/// <summary>Turns the filter parameters into the core's <see cref="AuditEventFilter"/>.</summary>
internal static class EventFilterParameters
{
    /// <summary>The filter the parameters describe: verbs lower-cased, levels and stages as the log spells them, times as offsets.</summary>
    public static AuditEventFilter ToFilter(this IEventFilterParameters given) => new()
    {
        Verbs = given.Verb.Select(v => v.ToLowerInvariant()).ToArray(),
        Users = given.User,
        Groups = given.Group,
        Resources = given.Resource,
        Namespaces = given.Namespace,
        Names = given.Name,
        Levels = given.Level.Select(l => Canonical(l, "Metadata", "Request", "RequestResponse")).ToArray(),
        Stages = given.Stage.Select(s => Canonical(s, "RequestReceived", "ResponseStarted", "ResponseComplete", "Panic")).ToArray(),
        StatusCodes = given.Code,
        Since = given.Since is { } since ? ToOffset(since) : null,
        Until = given.Until is { } until ? ToOffset(until) : null,
        AuditIds = given.AuditId,
    };

    // ValidateSet accepts any case; the log has one.
    private static string Canonical(string value, params string[] names) =>
        names.First(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));

    // A DateTime without a zone is local time, as Get-Date gives it.
    private static DateTimeOffset ToOffset(DateTime time) =>
        time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time) : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Local));
}
