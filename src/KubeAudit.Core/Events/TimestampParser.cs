using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeAudit.Core.Events;

/// <summary>Lenient timestamp parsing for logs that did not come straight from the API server.</summary>
internal static partial class TimestampParser
{
    // Exporters and hand-written samples use a space instead of 'T' and leave the zone out.
    private static readonly string[] s_formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ssK",
    ];

    /// <summary>Parses RFC 3339 and close variants; a time without a zone is UTC.</summary>
    public static bool TryParse(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(
            LongFraction().Replace(text.Trim(), "$1"), // .NET keeps 7 fraction digits; Go writes up to 9
            s_formats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out value);

    [GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial Regex LongFraction();
}
