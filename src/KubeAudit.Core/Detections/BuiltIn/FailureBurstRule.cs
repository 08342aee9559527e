namespace KubeAudit.Core.Detections.BuiltIn;

/// <summary>
/// Many 401 or 403 responses for one identity in a short time: credential guessing, or a stolen token
/// probing what it may do. Keeps, per identity, the times of its recent failures (a sliding window);
/// reaching the threshold gives one finding and starts the count again.
/// </summary>
public sealed class FailureBurstRule : DetectionRule
{
    /// <summary>The rule's name.</summary>
    public const string RuleName = "Auth.FailureBurst";

    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly int _threshold;
    private readonly TimeSpan _window;
    private long _seen;

    /// <summary>A burst rule firing at <paramref name="threshold"/> failures within <paramref name="window"/>.</summary>
    public FailureBurstRule(int threshold = 10, TimeSpan? window = null)
        : base(Describe(threshold, window ?? TimeSpan.FromMinutes(1)), null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        _threshold = threshold;
        _window = window ?? TimeSpan.FromMinutes(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_window, TimeSpan.Zero);
    }

    /// <inheritdoc />
    public override Verdict Evaluate(AuditEvent ev, out string? detail)
    {
        detail = null;
        if (ev.Code is not (401 or 403) || EventFacts.Time(ev) is not { } time)
        {
            return Verdict.NoMatch;
        }

        var who = EventFacts.Who(ev);
        if (!_failures.TryGetValue(who, out var times))
        {
            _failures[who] = times = new Queue<DateTimeOffset>();
        }

        while (times.Count > 0 && time - times.Peek() > _window)
        {
            times.Dequeue();
        }

        times.Enqueue(time);
        if ((++_seen & 4095) == 0)
        {
            Prune(time);
        }

        if (times.Count < _threshold)
        {
            return Verdict.NoMatch;
        }

        var first = times.Peek();
        detail = $"{times.Count} failed requests (401/403) in {(time - first).TotalSeconds:0.#} s";
        times.Clear();
        return Verdict.Match;
    }

    // Identities that stopped failing long ago would otherwise be kept for the whole read.
    private void Prune(DateTimeOffset now)
    {
        foreach (var (who, times) in _failures.ToArray())
        {
            if (times.Count == 0 || now - times.Last() > _window)
            {
                _failures.Remove(who);
            }
        }
    }

    private static ThreatRule Describe(int threshold, TimeSpan window) => ThreatRules.Describe(
        RuleName,
        ThreatSeverity.Medium,
        "had {detail}; last: {verb} {resource} ({code})",
        $"at least {threshold} responses 401 or 403 for one user (or source IP) within {window.TotalSeconds:0.#} s",
        "T1110",
        tags: ["authentication", "stateful"],
        allow: ["system:node:*", "group:system:nodes"]);
}
