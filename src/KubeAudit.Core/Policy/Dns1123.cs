using System.Text.RegularExpressions;

namespace KubeAudit.Core.Policy;

/// <summary>apimachinery's <c>IsDNS1123Subdomain</c>, with its exact messages (audit group names must pass it).</summary>
internal static partial class Dns1123
{
    private const int MaxLength = 253;
    private const string Format = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    /// <summary>The problems with <paramref name="value"/>, empty when it is a valid subdomain.</summary>
    public static List<string> SubdomainErrors(string value)
    {
        var errors = new List<string>(2);
        if (value.Length > MaxLength)
        {
            errors.Add($"must be no more than {MaxLength} characters");
        }

        if (!Subdomain().IsMatch(value))
        {
            errors.Add(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '"
                + Format + "')");
        }

        return errors;
    }

    // Go anchors with $, which there means end of text; .NET needs \z for that.
    [GeneratedRegex("^" + Format + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();
}
