using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Detections;

/// <summary>
/// Applies detection rules to events in log order and turns matches into <see cref="ThreatFinding"/>s.
/// Rules are indexed by resource, so an event meets only the rules about its resource plus the few that
/// look at every event; allow-lists are checked only for matches. One engine per read: it keeps state
/// (bursts, which long-running requests were already reported, which files lack bodies).
/// </summary>
public sealed class ThreatEngine
{
    /// <summary>
    /// How many times a rule may fail (a regular expression timing out on a crafted request URL, a rule
    /// throwing) before it is switched off for the rest of the scan. Each failure is a warning for that
    /// rule and event; the event still meets every other rule.
    /// </summary>
    public const int MaxRuleFailures = 3;

    private readonly Dictionary<string, Entry[]> _byResource;
    private readonly Entry[] _everyEvent;
    private readonly ThreatSeverity _minimum;
    private readonly HashSet<(DetectionRule Rule, string AuditId)> _started = [];
    // Events that body rules could not look inside, per rule, for one note at the end of the run.
    private readonly Dictionary<DetectionRule, long> _bodyMissing = [];
    private AuditEvent? _firstBodyMissing;
    private AuditEvent? _lastBodyMissing;
    private long _bodyMissingEvents;

    /// <summary>An engine applying <paramref name="rules"/> (the enabled ones) with <paramref name="options"/>.</summary>
    public ThreatEngine(IEnumerable<DetectionRule> rules, ThreatEngineOptions? options = null)
    {
        options ??= new ThreatEngineOptions();
        _minimum = options.MinimumSeverity;
        var entries = rules
            .Where(r => r.Info.Enabled && r.Info.Severity >= _minimum)
            .Select(r => new Entry(r, BuildAllow(r, options)))
            .ToList();
        Rules = entries.Select(e => e.Rule).ToArray();
        _everyEvent = entries.Where(e => e.Rule.Resources is null).ToArray();
        _byResource = entries
            .Where(e => e.Rule.Resources is not null)
            .SelectMany(e => e.Rule.Resources!.Select(resource => (resource, e)))
            .GroupBy(p => p.resource, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.e).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The rules in use.</summary>
    public IReadOnlyList<DetectionRule> Rules { get; }

    /// <summary>
    /// Applies the rules to <paramref name="ev"/>, adding findings to <paramref name="findings"/> and a <c>RuleFailed</c>
    /// (or <c>RuleDisabled</c>) warning to <paramref name="notes"/> when a rule fails on it. Events that a rule could not
    /// look inside (no request body logged) are counted for <see cref="MissingBodiesNote"/>.
    /// </summary>
    public void Inspect(AuditEvent ev, ICollection<ThreatFinding> findings, ICollection<Diagnostic>? notes = null)
    {
        // RequestReceived carries no outcome and repeats the later stages; like Falco, judge the response.
        if (ev.Stage == "RequestReceived")
        {
            return;
        }

        foreach (var entry in _everyEvent)
        {
            Apply(entry, ev, findings, notes);
        }

        if (_byResource.Count > 0 && _byResource.TryGetValue(ev.Resource ?? string.Empty, out var forResource))
        {
            foreach (var entry in forResource)
            {
                Apply(entry, ev, findings, notes);
            }
        }
    }

    /// <summary>The findings for a sequence of events, in order.</summary>
    public IEnumerable<ThreatFinding> Inspect(IEnumerable<AuditEvent> events)
    {
        var found = new List<ThreatFinding>();
        foreach (var ev in events)
        {
            Inspect(ev, found);
            foreach (var finding in found)
            {
                yield return finding;
            }

            found.Clear();
        }
    }

    private void Apply(Entry entry, AuditEvent ev, ICollection<ThreatFinding> findings, ICollection<Diagnostic>? notes)
    {
        var rule = entry.Rule;
        if (entry.Off)
        {
            return;
        }

        Verdict verdict;
        string? detail;
        try
        {
            verdict = rule.Evaluate(ev, out detail);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One hostile event must not end the scan or blind the other rules: warn, and give up on a rule that keeps failing.
            Failed(entry, ev, ex, notes);
            return;
        }

        if (verdict == Verdict.NoMatch || entry.Allow.Allows(ev))
        {
            return;
        }

        if (verdict == Verdict.BodyMissing)
        {
            NoteMissingBody(rule, ev);
            return;
        }

        // Long-running requests (exec, watch) are logged at ResponseStarted and again at ResponseComplete: report once.
        if (ev.AuditId is { } id)
        {
            if (ev.Stage == "ResponseStarted")
            {
                _started.Add((rule, id));
            }
            else if (_started.Remove((rule, id)))
            {
                return;
            }
        }

        findings.Add(new ThreatFinding
        {
            Rule = rule.Info.Name,
            Severity = rule.Info.Severity,
            Technique = rule.Info.Technique,
            TechniqueName = rule.Info.TechniqueName,
            Description = DescriptionTemplate.Fill(rule.Info.Description, ev, detail),
            Time = EventFacts.Time(ev),
            User = EventFacts.Who(ev),
            Verb = ev.Verb,
            Resource = EventFacts.ResourcePath(ev),
            Namespace = ev.Namespace,
            Name = ev.Name,
            Event = ev,
            File = ev.File,
            Line = ev.Line,
        });
    }

    private static void Failed(Entry entry, AuditEvent ev, Exception ex, ICollection<Diagnostic>? notes)
    {
        var name = entry.Rule.Info.Name;
        var why = ex is System.Text.RegularExpressions.RegexMatchTimeoutException timeout
            ? $"its regular expression timed out after {timeout.MatchTimeout.TotalMilliseconds:0} ms"
            : ex.Message;
        entry.Failures++;
        notes?.Add(new Diagnostic(
            DiagnosticCodes.RuleFailed,
            DiagnosticSeverity.Warning,
            $"Rule {name} failed on the event '{ev.Verb} {ev.RequestUri}' (auditID {ev.AuditId}): {why}. The event was checked by the other rules.",
            ev.File,
            ev.Line));
        if (entry.Failures < MaxRuleFailures)
        {
            return;
        }

        entry.Off = true;
        notes?.Add(new Diagnostic(
            DiagnosticCodes.RuleDisabled,
            DiagnosticSeverity.Warning,
            $"Rule {name} failed {entry.Failures} times and is switched off for the rest of this scan; the other rules go on. Fix its condition (a pattern without nested quantifiers runs without backtracking).",
            ev.File,
            ev.Line));
    }

    private void NoteMissingBody(DetectionRule rule, AuditEvent ev)
    {
        _bodyMissing[rule] = _bodyMissing.GetValueOrDefault(rule) + 1;
        _firstBodyMissing ??= ev;
        if (!ReferenceEquals(_lastBodyMissing, ev))
        {
            _lastBodyMissing = ev;
            _bodyMissingEvents++;
        }
    }

    /// <summary>
    /// One <c>BodyNotLogged</c> warning for everything read so far: how many events rules that need request bodies
    /// could not inspect, per rule, located at the first such event; null when every rule could see what it needed.
    /// </summary>
    public Diagnostic? MissingBodiesNote()
    {
        if (_firstBodyMissing is not { } first)
        {
            return null;
        }

        var perRule = string.Join(", ", _bodyMissing.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Info.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Key.Info.Name} ({p.Value})"));
        var events = _bodyMissingEvents == 1 ? "1 event" : $"{_bodyMissingEvents} events";
        return new Diagnostic(
            DiagnosticCodes.BodyNotLogged,
            DiagnosticSeverity.Warning,
            $"{events} could not be inspected by rules that need request bodies: {perRule}. They were logged at level " +
            $"{first.Level ?? "Metadata"}, without request bodies (the first is '{first.Verb} {EventFacts.ResourcePath(first)}'); " +
            "log those resources at level Request or higher for these rules to see them.",
            first.File,
            first.Line);
    }

    private static AllowList BuildAllow(DetectionRule rule, ThreatEngineOptions options)
    {
        var entries = new List<string>(options.Allow);
        // -NoDefaultAllowList drops the built-in lists only; a rule file's own allow-list is part of its rule.
        if (!options.NoDefaultAllowList || rule.Info.Source != "BuiltIn")
        {
            entries.AddRange(rule.Info.AllowList);
        }

        foreach (var scoped in options.ScopedAllow)
        {
            if (scoped.AppliesTo(rule.Info.Name))
            {
                entries.AddRange(scoped.Entries);
            }
        }

        return entries.Count == 0 ? AllowList.Empty : new AllowList(entries);
    }

    private sealed record Entry(DetectionRule Rule, AllowList Allow)
    {
        public int Failures { get; set; }

        public bool Off { get; set; }
    }
}
