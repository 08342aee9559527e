using System.Text.RegularExpressions;
using KubeAudit.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Policy;

/// <summary>
/// Finds values the API server's YAML 1.1 decoder (sigs.k8s.io/yaml over go-yaml v2) reads as the
/// wrong type, which makes the policy fail to decode: an unquoted <c>yes</c>, <c>off</c>, <c>y</c>,
/// <c>true</c> or number where a string is expected, or a quoted <c>"true"</c> where a boolean is.
/// <see cref="AuditPolicyReader"/> keeps only scalar text, not its style, so this is a second,
/// small pass over the same text that looks at the scalar nodes themselves.
/// </summary>
internal static partial class YamlScalarHazards
{
    private static readonly HashSet<string> s_bools = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    };

    private static readonly HashSet<string> s_specialFloats = new(StringComparer.Ordinal)
    {
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
    };

    private static readonly string[] s_ruleStringLists = ["users", "userGroups", "verbs", "namespaces", "nonResourceURLs", "omitStages"];

    /// <summary>The hazards in <paramref name="text"/>, plus where each top-level key is (for policy-wide findings).</summary>
    public static (List<PolicyFinding> Findings, Dictionary<string, Mark> TopLevelKeys) Scan(string text, string? file, CancellationToken cancel = default)
    {
        var findings = new List<PolicyFinding>();
        var keys = new Dictionary<string, Mark>(StringComparer.Ordinal);
        if (!YamlText.TryLoad(text, out var stream, out _, out _, cancel))
        {
            // The reader already reported it.
            return (findings, keys);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return (findings, keys);
        }

        var scan = new Walker(file, findings);
        foreach (var (keyNode, value) in root.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                continue;
            }

            keys.TryAdd(key, keyNode.Start);
            switch (key)
            {
                case "apiVersion" or "kind": scan.String(value, key, null); break;
                case "omitStages": scan.Strings(value, key, null); break;
                case "omitManagedFields": scan.Bool(value, key, null); break;
                case "rules" when value is YamlSequenceNode rules:
                    for (var i = 0; i < rules.Children.Count; i++)
                    {
                        if ((i & 1023) == 1023)
                        {
                            cancel.ThrowIfCancellationRequested();
                        }

                        scan.Rule(rules.Children[i], i);
                    }

                    break;
            }
        }

        return (findings, keys);
    }

    /// <summary>What go-yaml v2 resolves an unquoted scalar to, when it is not a string: "bool", "number", or null.</summary>
    internal static string? ResolvesTo(string plain)
    {
        if (s_bools.Contains(plain))
        {
            return "bool";
        }

        if (plain.Length == 0 || !(char.IsAsciiDigit(plain[0]) || plain[0] is '+' or '-' or '.'))
        {
            return null;
        }

        // go-yaml strips '_' and then tries strconv.ParseInt(s, 0, 64) (0x, 0o, 0b, leading-0 octal),
        // ParseUint, the YAML float pattern, and ".inf"/".nan".
        var s = plain.Replace("_", string.Empty, StringComparison.Ordinal);
        return s_specialFloats.Contains(plain) || GoInteger().IsMatch(s) || YamlFloat().IsMatch(s) ? "number" : null;
    }

    [GeneratedRegex(@"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex GoInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();

    private sealed class Walker(string? file, List<PolicyFinding> findings)
    {
        public void Rule(YamlNode node, int index)
        {
            if (node is not YamlMappingNode rule)
            {
                return;
            }

            var path = $"rules[{index}]";
            foreach (var (keyNode, value) in rule.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                if (key == "level")
                {
                    String(value, path + ".level", index);
                }
                else if (key == "omitManagedFields")
                {
                    Bool(value, path + ".omitManagedFields", index);
                }
                else if (key is not null && s_ruleStringLists.Contains(key))
                {
                    Strings(value, path + "." + key, index);
                }
                else if (key == "resources" && value is YamlSequenceNode resources)
                {
                    for (var k = 0; k < resources.Children.Count; k++)
                    {
                        GroupResources(resources.Children[k], $"{path}.resources[{k}]", index);
                    }
                }
            }
        }

        public void String(YamlNode node, string path, int? rule)
        {
            if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } && ResolvesTo(text) is { } type)
            {
                Add(node, path, rule, $"{path}: unquoted {text} is a YAML 1.1 {(type == "bool" ? "boolean" : "number")} to the API server's YAML decoder, not a string; the policy fails to decode (cannot unmarshal {type} into a string)", $"Quote it: \"{text}\".");
            }
        }

        public void Strings(YamlNode node, string path, int? rule)
        {
            if (node is YamlSequenceNode list)
            {
                for (var j = 0; j < list.Children.Count; j++)
                {
                    String(list.Children[j], $"{path}[{j}]", rule);
                }
            }
        }

        public void Bool(YamlNode node, string path, int? rule)
        {
            // Only quoted words the reader took for booleans; anything else it already reports.
            if (node is YamlScalarNode { Style: not ScalarStyle.Plain, Value: { } text } && s_bools.Contains(text))
            {
                Add(node, path, rule, $"{path}: the quoted \"{text}\" is a string, not a boolean; the policy fails to decode (cannot unmarshal string into a bool)", $"Remove the quotes: {text.ToLowerInvariant()}.");
            }
        }

        private void GroupResources(YamlNode node, string path, int rule)
        {
            if (node is not YamlMappingNode gr)
            {
                return;
            }

            foreach (var (keyNode, value) in gr.Children)
            {
                switch ((keyNode as YamlScalarNode)?.Value)
                {
                    case "group": String(value, path + ".group", rule); break;
                    case "resources": Strings(value, path + ".resources", rule); break;
                    case "resourceNames": Strings(value, path + ".resourceNames", rule); break;
                }
            }
        }

        private void Add(YamlNode at, string path, int? rule, string message, string hint) =>
            findings.Add(new PolicyFinding
            {
                Severity = Findings.Error,
                Code = PolicyFindingCodes.YamlNonString,
                Path = path,
                Message = message,
                Hint = hint,
                File = file,
                RuleIndex = rule,
                Line = (int)at.Start.Line,
                Column = (int)at.Start.Column,
                RejectedByApiServer = true,
            });
    }
}
