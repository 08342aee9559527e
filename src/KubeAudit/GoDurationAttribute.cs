using System.Management.Automation;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Commands;

/// <summary>
/// Lets a TimeSpan parameter take a Go duration as kube-apiserver's flags do (<c>30s</c>, <c>1m30s</c>, <c>500ms</c>) as well
/// as a TimeSpan: <c>-WebhookBatchMaxWait 5s</c> is <c>-WebhookBatchMaxWait (New-TimeSpan -Seconds 5)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class GoDurationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var text = RelativeTimeAttribute.TypedText(inputData);
        if (text is null)
        {
            return inputData;
        }

        if (GoDuration.TryParse(text.Trim(), out var duration))
        {
            return duration;
        }

        // A bare number would be ticks, or days as text: neither is what a flag value means.
        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new ArgumentTransformationMetadataException($"'{text}' is not a duration such as 30s, 1m30s or 500ms (ns, us, ms, s, m, h), nor a TimeSpan such as 00:00:30.");
    }
}
