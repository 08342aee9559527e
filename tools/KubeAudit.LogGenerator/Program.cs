using System.Globalization;
using KubeAudit.LogGenerator;

// Command line: --count N --seed S --out FILE|- [--start ISO8601]
const string Usage = "usage: KubeAudit.LogGenerator --count N [--seed S] --out FILE|- [--start 2026-01-05T08:00:00Z]";

var options = new GeneratorOptions();
string? outPath = null;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException("missing value for " + args[i]);
        switch (args[i])
        {
            case "--count": options.Count = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture); break;
            case "--seed": options.Seed = int.Parse(Value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); break;
            case "--out": outPath = Value(); break;
            case "--start":
                options.Start = DateTimeOffset.Parse(Value(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                break;
            case "-h" or "--help":
                Console.WriteLine(Usage);
                return 0;
            default: throw new FormatException("unknown argument " + args[i]);
        }
    }
    if (outPath == null)
    {
        throw new FormatException("--out is required");
    }
}
catch (Exception e) when (e is FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

using var output = outPath == "-"
    ? Console.OpenStandardOutput()
    : new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
AuditLogGenerator.Write(output, options);
return 0;
