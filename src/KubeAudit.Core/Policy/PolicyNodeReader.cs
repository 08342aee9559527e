using KubeAudit.Core.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Policy;

/// <summary>Maps YAML nodes onto the policy types, field by field, with the field path of each problem.</summary>
internal sealed class PolicyNodeReader(string? file, List<Diagnostic> diagnostics)
{
    private static readonly HashSet<string> s_trueWords = new(StringComparer.Ordinal) { "true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON" };
    private static readonly HashSet<string> s_falseWords = new(StringComparer.Ordinal) { "false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF" };

    public AuditPolicy? ReadPolicy(YamlMappingNode root)
    {
        var policy = new AuditPolicy { File = file };
        var rulesSeen = false;
        foreach (var (key, value) in Fields(root, string.Empty))
        {
            switch (key)
            {
                case "apiVersion":
                    policy.ApiVersion = ReadString(value, "apiVersion");
                    break;
                case "kind":
                    policy.Kind = ReadString(value, "kind");
                    break;
                case "metadata":
                    break;
                case "rules":
                    rulesSeen = true;
                    policy.Rules = ReadList(value, "rules", ReadRule);
                    break;
                case "omitStages":
                    policy.OmitStages = ReadStrings(value, "omitStages");
                    break;
                case "omitManagedFields":
                    policy.OmitManagedFields = ReadBool(value, "omitManagedFields") ?? false;
                    break;
                default:
                    UnknownField(key, value);
                    break;
            }
        }

        if (policy.Kind is { } kind && kind != "Policy")
        {
            Add(DiagnosticCodes.NotAPolicy, DiagnosticSeverity.Error, $"kind is \"{kind}\", not \"Policy\".", root);
            return null;
        }

        if (!rulesSeen && policy.ApiVersion is null && policy.Kind is null)
        {
            Add(DiagnosticCodes.NotAPolicy, DiagnosticSeverity.Error, "The document has no apiVersion, kind or rules; it is not an audit Policy.", root);
            return null;
        }

        return policy;
    }

    private AuditPolicyRule ReadRule(YamlNode node, string path, int index)
    {
        var rule = new AuditPolicyRule { Index = index, Line = (int)node.Start.Line, Column = (int)node.Start.Column };
        foreach (var (key, value) in Fields(node, path))
        {
            var at = path + "." + key;
            switch (key)
            {
                case "level": rule.Level = ReadString(value, at); break;
                case "users": rule.Users = ReadStrings(value, at); break;
                case "userGroups": rule.UserGroups = ReadStrings(value, at); break;
                case "verbs": rule.Verbs = ReadStrings(value, at); break;
                case "resources": rule.Resources = ReadList(value, at, ReadGroupResources); break;
                case "namespaces": rule.Namespaces = ReadStrings(value, at); break;
                case "nonResourceURLs": rule.NonResourceURLs = ReadStrings(value, at); break;
                case "omitStages": rule.OmitStages = ReadStrings(value, at); break;
                case "omitManagedFields": rule.OmitManagedFields = ReadBool(value, at); break;
                default: UnknownField(at, value); break;
            }
        }

        return rule;
    }

    private GroupResources ReadGroupResources(YamlNode node, string path, int index)
    {
        var group = new GroupResources { Line = (int)node.Start.Line, Column = (int)node.Start.Column };
        foreach (var (key, value) in Fields(node, path))
        {
            var at = path + "." + key;
            switch (key)
            {
                case "group": group.Group = ReadString(value, at) ?? string.Empty; break;
                case "resources": group.Resources = ReadStrings(value, at); break;
                case "resourceNames": group.ResourceNames = ReadStrings(value, at); break;
                default: UnknownField(at, value); break;
            }
        }

        return group;
    }

    // The key/value pairs of a mapping; null counts as empty, anything else is reported.
    private IEnumerable<(string Key, YamlNode Value)> Fields(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            yield break;
        }

        if (node is not YamlMappingNode mapping)
        {
            WrongType(node, path, "a mapping");
            yield break;
        }

        foreach (var pair in mapping.Children)
        {
            var key = pair.Key is YamlScalarNode { Value: { } name } ? name : pair.Key.ToString();
            yield return (key, pair.Value);
        }
    }

    private T[] ReadList<T>(YamlNode node, string path, Func<YamlNode, string, int, T> readItem)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            WrongType(node, path, "a list");
            return [];
        }

        var items = new T[sequence.Children.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = readItem(sequence.Children[i], $"{path}[{i}]", i);
        }

        return items;
    }

    private string[] ReadStrings(YamlNode node, string path) =>
        ReadList(node, path, (item, at, _) => ReadString(item, at) ?? string.Empty);

    private string? ReadString(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        WrongType(node, path, "a string");
        return null;
    }

    private bool? ReadBool(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text })
        {
            if (s_trueWords.Contains(text))
            {
                return true;
            }

            if (s_falseWords.Contains(text))
            {
                return false;
            }
        }

        WrongType(node, path, "true or false");
        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private void UnknownField(string path, YamlNode value) =>
        Add(DiagnosticCodes.UnknownField, DiagnosticSeverity.Warning, $"Unknown field '{path}': the API server ignores it, so it has no effect.", value);

    private void WrongType(YamlNode node, string path, string expected) =>
        Add(DiagnosticCodes.InvalidPolicyField, DiagnosticSeverity.Error, $"'{path}' must be {expected}.", node);

    private void Add(string code, DiagnosticSeverity severity, string message, YamlNode at) =>
        diagnostics.Add(new Diagnostic(code, severity, message, file, at.Start.Line, at.Start.Column));
}
