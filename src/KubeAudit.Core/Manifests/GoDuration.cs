using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeAudit.Core.Manifests;

/// <summary>Go's <c>time.Duration</c> text, as kube-apiserver's duration flags take it: <c>30s</c>, <c>1m30s</c>, <c>500ms</c>, <c>1.5h</c>.</summary>
public static partial class GoDuration
{
    /// <summary>Reads Go duration text (<c>time.ParseDuration</c>: a sign, then number-unit pairs of ns, us, µs, ms, s, m, h, or a bare 0).</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        decimal ticks = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.TrimStart("0123456789.".ToCharArray());
            var number = decimal.Parse(part.Value[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            ticks += number * unit switch
            {
                "ns" => 0.01m,
                "us" or "µs" or "μs" => 10m,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(ticks) * (match.Groups["sign"].Value == "-" ? -1 : 1));
        return true;
    }

    /// <summary>Writes a duration as Go's <c>Duration.String()</c> does: <c>0s</c>, <c>500ms</c>, <c>30s</c>, <c>1m30s</c>, <c>1h0m0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = duration < TimeSpan.Zero ? "-" : string.Empty;
        var ticks = Math.Abs((decimal)duration.Ticks);
        if (ticks < TimeSpan.TicksPerSecond)
        {
            return sign + (ticks >= TimeSpan.TicksPerMillisecond
                ? Number(ticks / TimeSpan.TicksPerMillisecond) + "ms"
                : Number(ticks / 10m) + "µs");
        }

        var hours = decimal.Truncate(ticks / TimeSpan.TicksPerHour);
        var minutes = decimal.Truncate(ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute);
        var seconds = Number(ticks % TimeSpan.TicksPerMinute / TimeSpan.TicksPerSecond) + "s";
        return sign + (hours > 0 ? $"{hours}h{minutes}m{seconds}" : minutes > 0 ? $"{minutes}m{seconds}" : seconds);
    }

    private static string Number(decimal value) => value.ToString("0.#######", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<sign>[-+]?)(?:0|(?<part>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
