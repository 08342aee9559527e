using System.Text;

namespace KubeAudit.Core.Detections;

/// <summary>
/// Fills a rule's description from an event: <c>{user}</c>, <c>{verb}</c>, <c>{verbed}</c> (past tense), <c>{resource}</c> (with
/// subresource), <c>{namespace}</c>, <c>{name}</c>, <c>{target}</c> (namespace/name), <c>{code}</c>,
/// <c>{sourceIP}</c>, <c>{userAgent}</c>, <c>{impersonatedUser}</c>, <c>{uri}</c> and <c>{detail}</c>
/// (what the rule found). Unknown placeholders stay as written. Runs only for findings, so it may allocate.
/// </summary>
public static class DescriptionTemplate
{
    /// <summary>The placeholders a description may use.</summary>
    public static IReadOnlyList<string> Placeholders { get; } =
        ["user", "verb", "verbed", "resource", "namespace", "name", "target", "code", "sourceIP", "userAgent", "impersonatedUser", "uri", "detail"];

    /// <summary>The description with placeholders filled from <paramref name="ev"/>.</summary>
    public static string Fill(string template, AuditEvent ev, string? detail)
    {
        if (template.IndexOf('{') < 0)
        {
            return template;
        }

        var text = new StringBuilder(template.Length + 64);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            text.Append(template, i, open - i);
            var key = template.Substring(open + 1, close - open - 1);
            if (Value(key, ev, detail, out var value))
            {
                text.Append(value);
            }
            else
            {
                text.Append(template, open, close - open + 1);
            }

            i = close + 1;
        }

        return text.ToString();
    }

    private static string Past(string? verb) => verb switch
    {
        null => "-",
        "get" => "read",
        "deletecollection" => "deleted a collection of",
        "watch" => "watched",
        _ when verb.EndsWith('e') => verb + "d",
        _ => verb + "ed",
    };

    private static bool Value(string key, AuditEvent ev, string? detail, out string? value)
    {
        value = key.ToLowerInvariant() switch
        {
            "user" => EventFacts.Who(ev),
            "verb" => ev.Verb ?? "-",
            "verbed" => Past(ev.Verb),
            "resource" => EventFacts.ResourcePath(ev) ?? "-",
            "namespace" => ev.Namespace is { Length: > 0 } ns ? ns : "(cluster)",
            "name" => ev.Name ?? "-",
            "target" => EventFacts.Target(ev),
            "code" => ev.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            "sourceip" => ev.SourceIPs.Length > 0 ? ev.SourceIPs[0] : "-",
            "useragent" => ev.UserAgent ?? "-",
            "impersonateduser" => ev.ImpersonatedUser?.Username ?? "-",
            "uri" => ev.RequestUri ?? "-",
            "detail" => detail ?? string.Empty,
            _ => null,
        };
        return value is not null;
    }
}
