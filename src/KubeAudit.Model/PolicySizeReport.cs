namespace KubeAudit;

/// <summary>
/// What an audit policy would keep of an existing log: events and approximate bytes before and after,
/// overall and by level, resource and user.
/// </summary>
public sealed class PolicySizeReport
{
    /// <summary>The policy measured (its file, when it has one).</summary>
    public string? Policy { get; internal set; }

    /// <summary>Events read from the log.</summary>
    public long EventsRead { get; internal set; }

    /// <summary>Bytes of the events read: each event's JSON line and its newline.</summary>
    public long BytesRead { get; internal set; }

    /// <summary>Events the policy would still write: level not None and stage not omitted.</summary>
    public long EventsKept { get; internal set; }

    /// <summary>Approximate bytes of the kept events, without the bodies their new level drops.</summary>
    public long BytesKept { get; internal set; }

    /// <summary>EventsKept / EventsRead; 0 when nothing was read.</summary>
    public double EventRatio => EventsRead == 0 ? 0 : (double)EventsKept / EventsRead;

    /// <summary>BytesKept / BytesRead; 0 when nothing was read.</summary>
    public double ByteRatio => BytesRead == 0 ? 0 : (double)BytesKept / BytesRead;

    /// <summary>Events the policy gives level None.</summary>
    public long DroppedByLevel { get; internal set; }

    /// <summary>Events logged at a level, but of a stage the policy omits.</summary>
    public long DroppedByStage { get; internal set; }

    /// <summary>
    /// Kept events the policy logs at a higher level than they were logged at: their missing bodies cannot
    /// be counted, so BytesKept is low by that much.
    /// </summary>
    public long UnderLogged { get; internal set; }

    /// <summary>By level: before is the level logged, after the level the policy gives.</summary>
    public PolicySizeRow[] ByLevel { get; internal set; } = [];

    /// <summary>The resources (or non-resource paths) with the most bytes read, largest first.</summary>
    public PolicySizeRow[] ByResource { get; internal set; } = [];

    /// <summary>The users with the most bytes read, largest first.</summary>
    public PolicySizeRow[] ByUser { get; internal set; } = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"{EventsKept} of {EventsRead} events, {BytesKept} of {BytesRead} bytes ({ByteRatio:P1})";
}
