using System.Text.Json;
using System.Text.RegularExpressions;

namespace KubeAudit.Core.Detections.BuiltIn;

/// <summary>
/// Finds credential-looking data in a ConfigMap body: keys named like secrets (password, token, secret,
/// key, ...), <c>name = value</c> lines that set one (Falco's aws_access_key_id / password / passphrase),
/// and values shaped like AWS access keys, Google API keys, private keys or GCP service-account files.
/// Reports names, never values.
/// </summary>
internal static partial class CredentialScanner
{
    // A word of a key name that marks a credential; words are split at . _ - and case changes are ignored.
    private static readonly string[] s_words = ["password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "credential", "credentials", "key"];

    /// <summary>What looks like a credential, as "key 'db.password', AWS access key ID in 'creds'", or null.</summary>
    public static string? Scan(JsonElement body)
    {
        var found = new List<string>();
        foreach (var section in new[] { "data", "binaryData", "stringData" })
        {
            if (Bodies.TryGet(body, section, out var data) && data.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in data.EnumerateObject())
                {
                    if (IsCredentialName(entry.Name))
                    {
                        found.Add($"key '{entry.Name}'");
                    }
                    else if (entry.Value.ValueKind == JsonValueKind.String && DescribeValue(entry.Value.GetString()!) is { } what)
                    {
                        found.Add($"{what} in '{entry.Name}'");
                    }
                }
            }
        }

        return found.Count == 0 ? null : string.Join(", ", found.Distinct());
    }

    /// <summary>Whether a key name says it holds a credential (db.password, api_key, AWS_SECRET_ACCESS_KEY, tls.key).</summary>
    public static bool IsCredentialName(string name)
    {
        foreach (var word in WordSplit().Split(name.ToLowerInvariant()))
        {
            if (word.Length > 0 && Array.IndexOf(s_words, word) >= 0)
            {
                return true;
            }
        }

        // apiKey, accessKey, secretKey, privateKey, authToken written in camel case.
        return CamelCredential().IsMatch(name);
    }

    /// <summary>What kind of credential a value looks like, or null.</summary>
    public static string? DescribeValue(string value)
    {
        if (AwsKeyId().IsMatch(value))
        {
            return "an AWS access key ID";
        }

        if (GoogleApiKey().IsMatch(value))
        {
            return "a Google API key";
        }

        if (value.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return "a private key";
        }

        if (value.Contains("\"service_account\"", StringComparison.Ordinal) && value.Contains("private_key", StringComparison.Ordinal))
        {
            return "a GCP service-account key";
        }

        if (AssignedCredential().Match(value) is { Success: true } m)
        {
            return $"a '{m.Groups["name"].Value}' setting";
        }

        return null;
    }

    [GeneratedRegex(@"[._\-/\s]+")]
    private static partial Regex WordSplit();

    [GeneratedRegex(@"(?:api|access|secret|private|auth|client|signing|encryption)(?:Key|Token|Secret)|(?:Password|Passwd|Token|Secret)$")]
    private static partial Regex CamelCredential();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsKeyId();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}\b")]
    private static partial Regex GoogleApiKey();

    // "password = x", "aws_secret_access_key: x", "export API_TOKEN=x" inside a properties or env file value.
    [GeneratedRegex(@"(?im)^\s*(?:export\s+)?(?<name>[\w.\-]*(?:password|passwd|passphrase|secret|token|api[_\-]?key|access[_\-]?key(?:[_\-]?id)?|private[_\-]?key)[\w.\-]*)\s*[:=]\s*\S")]
    private static partial Regex AssignedCredential();
}
