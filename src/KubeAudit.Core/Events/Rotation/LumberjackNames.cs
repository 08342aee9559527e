using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeAudit.Core.Events.Rotation;

/// <summary>
/// lumberjack v2 backup names: <c>&lt;prefix&gt;-2006-01-02T15-04-05.000&lt;ext&gt;</c>, plus <c>.gz</c> once
/// compressed, where ext is the last dot suffix of the active file name (or empty) and prefix the rest.
/// </summary>
public static partial class LumberjackNames
{
    /// <summary>The .NET form of lumberjack's Go layout <c>2006-01-02T15-04-05.000</c>.</summary>
    public const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH'-'mm'-'ss'.'fff";

    /// <summary>The suffix the compression mill adds.</summary>
    public const string CompressedSuffix = ".gz";

    /// <summary>The backup name lumberjack gives <paramref name="activeName"/> when rotating at <paramref name="time"/>.</summary>
    public static string BackupName(string activeName, DateTime time, bool compressed = false)
    {
        var (prefix, ext) = Split(activeName);
        var name = prefix + "-" + time.ToString(TimestampFormat, CultureInfo.InvariantCulture) + ext;
        return compressed ? name + CompressedSuffix : name;
    }

    /// <summary>Whether <paramref name="fileName"/> is a backup of <paramref name="activeName"/>, and its time.</summary>
    public static bool TryParse(string fileName, string activeName, out LumberjackBackup backup)
    {
        foreach (var candidate in Interpret(fileName))
        {
            if (string.Equals(candidate.ActiveName, activeName, StringComparison.Ordinal))
            {
                backup = candidate;
                return true;
            }
        }

        backup = default;
        return false;
    }

    /// <summary>
    /// The ways <paramref name="fileName"/> can be read as a backup, most likely first. A name ending in
    /// <c>-&lt;ts&gt;.gz</c> is either the compressed backup of an extensionless file or the plain backup of
    /// a <c>*.gz</c> file; the caller picks by which active file exists.
    /// </summary>
    public static IReadOnlyList<LumberjackBackup> Interpret(string fileName)
    {
        var match = BackupPattern().Match(fileName);
        if (!match.Success || !DateTime.TryParseExact(
                match.Groups["ts"].Value,
                TimestampFormat,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var time))
        {
            return [];
        }

        var prefix = match.Groups["prefix"].Value;
        var rest = match.Groups["rest"].Value;
        var results = new List<LumberjackBackup>(2);
        var gz = rest.EndsWith(CompressedSuffix, StringComparison.Ordinal);
        if (gz && IsExtension(rest[..^CompressedSuffix.Length]))
        {
            results.Add(new LumberjackBackup(prefix + rest[..^CompressedSuffix.Length], time, true));
        }

        if (IsExtension(rest))
        {
            results.Add(new LumberjackBackup(prefix + rest, time, false));
        }

        return results;
    }

    // Go's filepath.Ext: from the last dot on; empty when there is none.
    internal static (string Prefix, string Ext) Split(string activeName)
    {
        var dot = activeName.LastIndexOf('.');
        return dot < 0 ? (activeName, string.Empty) : (activeName[..dot], activeName[dot..]);
    }

    private static bool IsExtension(string s) => s.Length == 0 || (s[0] == '.' && s.IndexOf('.', 1) < 0);

    // Greedy prefix: the timestamp is the last one in the name, as in lumberjack's suffix check.
    [GeneratedRegex(@"^(?<prefix>.*)-(?<ts>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}\.[0-9]{3})(?<rest>.*)\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex BackupPattern();
}
