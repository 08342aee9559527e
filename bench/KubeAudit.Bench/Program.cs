using System.Diagnostics;
using KubeAudit.Bench;

// Usage: KubeAudit.Bench floor <file> | core <file> | policy <file> <policy> | validate <rules>
//        | writer <source log> <folder> <events> <per second> <rotate bytes>
// Prints one line: "<seconds> <count>" so the bench script can read it.
if (args is ["writer", var source, var folder, var total, var rate, var rotate])
{
    // The busy API server of the -Follow row; prints the UTC time of its last write (round-trip format).
    var inv = System.Globalization.CultureInfo.InvariantCulture;
    var end = RotatingWriter.Run(source, folder, long.Parse(total, inv), int.Parse(rate, inv), long.Parse(rotate, inv));
    Console.WriteLine(end.ToString("o", inv));
    return 0;
}

if (args.Length != (args is ["policy", ..] ? 3 : 2))
{
    Console.Error.WriteLine("usage: KubeAudit.Bench floor|core <file> | policy <file> <policy>");
    return 2;
}

if (args is ["validate", var rules])
{
    // Read, validate and lint a generated policy of that many rules.
    var (took, ruleCount) = PolicyValidate.CheckRules(int.Parse(rules, System.Globalization.CultureInfo.InvariantCulture));
    Console.WriteLine(FormattableString.Invariant($"{took:F3} {ruleCount}"));
    return 0;
}

if (args[0] == "policy")
{
    // Times evaluation only, not the parse before it.
    var (seconds, events) = PolicyEval.ResolveAll(args[1], args[2]);
    Console.WriteLine(FormattableString.Invariant($"{seconds:F3} {events}"));
    return 0;
}

var stopwatch = Stopwatch.StartNew();
var count = args[0] switch
{
    "floor" => JsonFloor.CountVerb(args[1], "create"u8.ToArray()),
    "core" => CoreRead.CountVerb(args[1], "create"),
    _ => -1,
};
if (count < 0)
{
    Console.Error.WriteLine($"unknown mode '{args[0]}'");
    return 2;
}

Console.WriteLine(FormattableString.Invariant($"{stopwatch.Elapsed.TotalSeconds:F3} {count}"));
return 0;
