using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// kube-apiserver's checks of the audit flags (spec §5.2, <c>pkg/server/options/audit.go</c>
/// <c>Validate()</c>), with its own messages; plus what pflag rejects (unknown flag, bad number).
/// </summary>
internal static partial class AuditFlagValidator
{
    /// <summary>(flag, message) for each value kube-apiserver refuses; <paramref name="last"/> holds the winning value of each flag.</summary>
    public static IEnumerable<(string Flag, string Message)> Validate(IReadOnlyDictionary<string, string?> last)
    {
        foreach (var (name, value) in last)
        {
            if (!AuditFlags.Known.TryGetValue(name, out var kind))
            {
                continue;
            }

            var ok = kind switch
            {
                AuditFlags.Kind.Int => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                AuditFlags.Kind.Float => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                AuditFlags.Kind.Bool => value is null or "1" or "t" or "T" or "TRUE" or "true" or "True" or "0" or "f" or "F" or "FALSE" or "false" or "False",
                AuditFlags.Kind.Duration => value is not null && Duration().IsMatch(value),
                _ => value is not null,
            };
            if (!ok)
            {
                yield return (name, $"invalid argument \"{value}\" for \"--{name}\" flag: not a valid {kind.ToString().ToLowerInvariant()}");
            }
        }

        foreach (var plugin in new[] { "log", "webhook" })
        {
            var enabledBy = plugin == "log" ? AuditFlags.LogPath : AuditFlags.WebhookConfigFile;
            if (string.IsNullOrEmpty(Get(last, enabledBy)))
            {
                continue;
            }

            var mode = Get(last, $"audit-{plugin}-mode") ?? (plugin == "log" ? "blocking" : "batch");
            if (mode is not ("batch" or "blocking" or "blocking-strict"))
            {
                yield return ($"audit-{plugin}-mode", $"invalid audit {plugin} mode {mode}, allowed modes are \"batch,blocking,blocking-strict\"");
            }

            if (mode == "batch")
            {
                var (buffer, maxSize) = (Int(last, $"audit-{plugin}-batch-buffer-size", 10000), Int(last, $"audit-{plugin}-batch-max-size", plugin == "log" ? 1 : 400));
                if (buffer <= 0)
                {
                    yield return ($"audit-{plugin}-batch-buffer-size", $"invalid audit batch {plugin} buffer size {buffer}, must be a positive number");
                }

                if (maxSize <= 0)
                {
                    yield return ($"audit-{plugin}-batch-max-size", $"invalid audit batch {plugin} max batch size {maxSize}, must be a positive number");
                }

                var throttle = Get(last, $"audit-{plugin}-batch-throttle-enable") ?? (plugin == "webhook" ? "true" : "false");
                if (throttle is "1" or "t" or "T" or "TRUE" or "true" or "True")
                {
                    var qps = double.TryParse(Get(last, $"audit-{plugin}-batch-throttle-qps") ?? (plugin == "webhook" ? "10" : "0"), NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : 0;
                    var burst = Int(last, $"audit-{plugin}-batch-throttle-burst", plugin == "webhook" ? 15 : 0);
                    if (qps <= 0)
                    {
                        yield return ($"audit-{plugin}-batch-throttle-qps", $"invalid audit batch {plugin} throttle QPS {qps.ToString(CultureInfo.InvariantCulture)}, must be a positive number");
                    }

                    if (burst <= 0)
                    {
                        yield return ($"audit-{plugin}-batch-throttle-burst", $"invalid audit batch {plugin} throttle burst {burst}, must be a positive number");
                    }
                }
            }

            var maxEvent = Int(last, $"audit-{plugin}-truncate-max-event-size", 102400);
            var maxBatch = Int(last, $"audit-{plugin}-truncate-max-batch-size", 10485760);
            if (maxEvent <= 0)
            {
                yield return ($"audit-{plugin}-truncate-max-event-size", $"invalid audit truncate {plugin} max event size {maxEvent}, must be a positive number");
            }
            else if (maxBatch < maxEvent)
            {
                yield return ($"audit-{plugin}-truncate-max-batch-size", $"invalid audit truncate {plugin} max batch size {maxBatch}, must be greater than max event size ({maxEvent})");
            }

            var version = Get(last, $"audit-{plugin}-version") ?? "audit.k8s.io/v1";
            if (version != "audit.k8s.io/v1")
            {
                yield return ($"audit-{plugin}-version", version.Count(c => c == '/') > 1
                    ? $"unexpected GroupVersion string: {version}"
                    : "invalid group version, allowed versions are [\"audit.k8s.io/v1\"]");
            }

            if (plugin == "log")
            {
                var format = Get(last, AuditFlags.LogFormat) ?? "json";
                if (format is not ("json" or "legacy"))
                {
                    yield return (AuditFlags.LogFormat, $"invalid audit log format {format}, allowed formats are \"legacy,json\"");
                }

                foreach (var flag in new[] { AuditFlags.LogMaxAge, AuditFlags.LogMaxBackup, AuditFlags.LogMaxSize })
                {
                    if (Int(last, flag, 0) < 0)
                    {
                        yield return (flag, $"--{flag} {Int(last, flag, 0)} can't be a negative number");
                    }
                }
            }
        }
    }

    private static string? Get(IReadOnlyDictionary<string, string?> last, string name) => last.TryGetValue(name, out var v) ? v : null;

    private static long Int(IReadOnlyDictionary<string, string?> last, string name, long fallback) =>
        long.TryParse(Get(last, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    [GeneratedRegex(@"^[-+]?(0|([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+)$")]
    private static partial Regex Duration();
}
