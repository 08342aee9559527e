using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeAudit.Core.Policy;

/// <summary>Reads the Kubernetes version a policy is checked for; only the minor matters to validation.</summary>
public static partial class KubernetesVersion
{
    /// <summary>
    /// The minor version of <c>1.29</c>, <c>v1.29</c>, <c>1.29.3</c> or <c>v1.29.3-eks-1</c> (what
    /// <c>kubectl version</c> prints); false for anything else.
    /// </summary>
    public static bool TryParseMinor(string? text, out int minor)
    {
        minor = 0;
        var match = text is null ? null : Version().Match(text.Trim());
        return match is { Success: true } && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out minor);
    }

    [GeneratedRegex(@"^[vV]?1\.(\d{1,3})(\.\d+)?([-+].*)?\z")]
    private static partial Regex Version();
}
