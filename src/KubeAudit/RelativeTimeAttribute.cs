using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace KubeAudit.Commands;

/// <summary>
/// Lets a DateTime parameter take a time back from now (<c>30s</c>, <c>15m</c>, <c>1h</c>, <c>2d</c>, <c>1w</c>) as well as
/// anything PowerShell turns into a DateTime: <c>-Since 1h</c> is <c>-Since (Get-Date).AddHours(-1)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed partial class RelativeTimeAttribute : ArgumentTransformationAttribute
{
    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Relative();

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var text = TypedText(inputData);
        if (text is null)
        {
            return inputData;
        }

        if (TryParse(text, DateTime.Now, out var time))
        {
            return time;
        }

        // Say what is accepted rather than PowerShell's bare "cannot convert".
        return LanguagePrimitives.TryConvertTo<DateTime>(text, CultureInfo.InvariantCulture, out var date)
            ? date
            : throw new ArgumentTransformationMetadataException(
                $"'{text}' is neither a date nor a time back from now such as 15m, 1h or 2d (s, m, h, d or w).");
    }

    /// <summary>
    /// The argument as typed, or null when it is no text: unquoted, 2d and 30s are number literals (decimal 2,
    /// short 30); PowerShell keeps the typed text, which converting the wrapped argument to a string gives back.
    /// </summary>
    internal static string? TypedText(object? inputData) => (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
    {
        string s => s,
        decimal or short when inputData is PSObject => LanguagePrimitives.ConvertTo<string>(inputData),
        _ => null,
    };

    /// <summary>Reads <paramref name="text"/> as a time back from <paramref name="now"/>; false when it is no such duration.</summary>
    public static bool TryParse(string text, DateTime now, out DateTime time)
    {
        time = default;
        var match = Relative().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var span = char.ToLowerInvariant(match.Groups[2].Value[0]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromDays(7 * amount),
        };
        time = now - span;
        return true;
    }
}
