using System.Diagnostics;
using KubeAudit.Core.Events;
using KubeAudit.Core.Policy;

namespace KubeAudit.Bench;

/// <summary>
/// Policy evaluation alone: every event is parsed first, then only LevelResolver.Resolve is timed,
/// which is what Resolve-KubeAuditLevel and Measure-KubeAuditPolicy add to a read.
/// </summary>
internal static class PolicyEval
{
    public static (double Seconds, long Count) ResolveAll(string logPath, string policyPath)
    {
        var read = AuditPolicyReader.ReadFile(policyPath);
        var resolver = new LevelResolver(read.Policy ?? throw new InvalidOperationException($"{policyPath} is not a policy."));
        List<AuditEvent> events;
        using (var reader = JsonLinesReader.OpenFile(logPath))
        {
            events = reader.ReadRecords().Where(r => r.Event is not null).Select(r => r.Event!).ToList();
        }

        // A first pass over a slice lets the JIT settle, as it would have in a long pipeline.
        var logged = 0L;
        foreach (var e in events.Take(50_000))
        {
            logged += resolver.Resolve(e).RuleIndex ?? 0;
        }

        var stopwatch = Stopwatch.StartNew();
        foreach (var e in events)
        {
            // Use each decision, so the work cannot be skipped.
            if (resolver.Resolve(e).Level != AuditLevels.None)
            {
                logged++;
            }
        }

        stopwatch.Stop();
        GC.KeepAlive(logged);
        return (stopwatch.Elapsed.TotalSeconds, events.Count);
    }
}
