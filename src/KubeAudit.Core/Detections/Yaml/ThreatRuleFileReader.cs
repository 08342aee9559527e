using System.Text.RegularExpressions;
using KubeAudit.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Detections.Yaml;

/// <summary>
/// Reads a YAML rule file: <c>rules:</c> (name, severity, description, mitre, tags, condition, allow),
/// <c>allow:</c> (users, groups, namespaces, optionally for some rules) and <c>disable:</c> (rule names).
/// Problems become diagnostics with the file and line; a broken rule is left out and the rest load.
/// </summary>
public static class ThreatRuleFileReader
{
    private static readonly TimeSpan s_matchTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly string[] s_operators = ["equals", "like", "in", "exists", "contains", "matches", "gt", "gte", "lt", "lte", "not"];

    /// <summary>Reads the rule file at <paramref name="path"/>.</summary>
    public static ThreatRuleFile ReadFile(string path)
    {
        try
        {
            return Read(File.ReadAllText(path), path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ThreatRuleFile([], [], [], [new Diagnostic(DiagnosticCodes.ReadFailed, DiagnosticSeverity.Error, ex.Message, path)]);
        }
    }

    /// <summary>Reads rules from YAML text; <paramref name="file"/> names it in diagnostics and rules' Source.</summary>
    public static ThreatRuleFile Read(string text, string? file)
    {
        var context = new Context(file);
        if (!YamlText.TryLoad(text, out var stream, out var yamlError, out var errorAt))
        {
            context.Error("The file is not valid YAML: " + yamlError, errorAt, DiagnosticCodes.InvalidYaml);
            return context.Result();
        }

        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                context.Error("A rule file is a mapping with 'rules', 'allow' and 'disable'.", document.RootNode.Start);
                continue;
            }

            foreach (var (key, value) in root.Children)
            {
                switch (Scalar(key))
                {
                    case "rules":
                        foreach (var node in Sequence(value, "rules", context))
                        {
                            ReadRule(node, context);
                        }

                        break;
                    case "allow":
                        foreach (var node in Sequence(value, "allow", context))
                        {
                            ReadAllow(node, context);
                        }

                        break;
                    case "disable":
                        context.Disable.AddRange(Strings(value, "disable", context));
                        break;
                    default:
                        context.Error($"Unknown key '{Scalar(key)}'; a rule file has 'rules', 'allow' and 'disable'.", key.Start);
                        break;
                }
            }
        }

        return context.Result();
    }

    private static void ReadRule(YamlNode node, Context context)
    {
        if (node is not YamlMappingNode map)
        {
            context.Error("A rule is a mapping with name, severity, description and condition.", node.Start);
            return;
        }

        var errors = context.ErrorCount;
        string? name = null, description = null, technique = null, techniqueName = null;
        var severity = ThreatSeverity.Medium;
        var tags = new List<string>();
        var allow = new List<string>();
        Condition.All? condition = null;
        var hasCondition = false;
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(keyNode);
            switch (key)
            {
                case "name":
                    name = Scalar(value);
                    break;
                case "description":
                    description = Scalar(value);
                    break;
                case "severity":
                    if (!Enum.TryParse(Scalar(value), ignoreCase: true, out severity) || !Enum.IsDefined(severity))
                    {
                        context.Error($"severity '{Scalar(value)}' is not one of Critical, High, Medium, Low, Info.", value.Start);
                    }

                    break;
                case "mitre":
                case "technique":
                    if (value is YamlMappingNode mitre)
                    {
                        technique = Child(mitre, "id");
                        techniqueName = Child(mitre, "name");
                    }
                    else
                    {
                        technique = Scalar(value);
                    }

                    break;
                case "tags":
                    tags.AddRange(Strings(value, "tags", context));
                    break;
                case "allow":
                    allow.AddRange(AllowEntries(value, context, out _));
                    break;
                case "condition":
                    hasCondition = true;
                    condition = ReadCondition(value, context);
                    break;
                default:
                    context.Error($"Unknown rule key '{key}'.", keyNode.Start);
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            context.Error("The rule has no name.", map.Start);
        }
        else if (context.Names.Contains(name))
        {
            context.Error($"A rule named '{name}' is already defined in this file.", map.Start);
        }

        if (!hasCondition)
        {
            context.Error($"Rule '{name}' has no condition.", map.Start);
        }

        if (context.ErrorCount > errors || condition is null || name is null)
        {
            return;
        }

        context.Names.Add(name);
        var paths = condition.Parts.OfType<Condition.AtPath>().ToList();
        var info = ThreatRules.Describe(
            name,
            severity,
            description ?? "{verb} {resource} {target}",
            Text(map, "condition"),
            technique,
            techniqueName,
            context.File ?? "<input>",
            needsBodies: HasBodyPath(condition),
            allow: allow,
            tags: tags,
            line: (int)map.Start.Line);
        context.Rules.Add(new YamlRule(info, IndexResources(paths), condition));
    }

    // A top-level "resource: pods" (or a list without wildcards) lets the engine show the rule only those events.
    private static IReadOnlyList<string>? IndexResources(List<Condition.AtPath> paths)
    {
        foreach (var part in paths)
        {
            if (part.Path.IsResource && part.Matcher is LiteralLike literal && literal.Literals is { } values)
            {
                return values;
            }
        }

        return null;
    }

    private static bool HasBodyPath(Condition.All condition) =>
        condition.Parts.OfType<Condition.AtPath>().Any(p => p.Path.ReadsBody);

    private static Condition.All? ReadCondition(YamlNode node, Context context)
    {
        if (node is not YamlMappingNode map)
        {
            context.Error("A condition is a mapping of property paths to values, e.g. 'verb: delete'.", node.Start);
            return null;
        }

        var parts = new List<Condition>();
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(keyNode) ?? string.Empty;
            switch (key)
            {
                case "any":
                case "all":
                    var inner = Sequence(value, key, context).Select(n => ReadCondition(n, context)).ToList();
                    if (inner.All(c => c is not null))
                    {
                        parts.Add(key == "any" ? new Condition.Any(inner!) : new Condition.All(inner!));
                    }

                    break;
                case "not":
                    if (ReadCondition(value, context) is { } negated)
                    {
                        parts.Add(new Condition.Not(negated));
                    }

                    break;
                default:
                    var path = EventPath.Parse(key, out var error);
                    if (path is null)
                    {
                        context.Error("Bad property path " + error, keyNode.Start);
                        break;
                    }

                    if (ReadMatcher(value, context) is { } matcher)
                    {
                        parts.Add(new Condition.AtPath(path, matcher));
                    }

                    break;
            }
        }

        return new Condition.All(parts);
    }

    private static Matcher? ReadMatcher(YamlNode node, Context context)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return new LiteralLike([NullableScalar(scalar)]);
            case YamlSequenceNode sequence:
                return new LiteralLike(sequence.Children.Select(c => c is YamlScalarNode s ? NullableScalar(s) : null).ToList());
            case YamlMappingNode map:
                var parts = new List<Matcher>();
                foreach (var (keyNode, value) in map.Children)
                {
                    var op = Scalar(keyNode);
                    var matcher = op switch
                    {
                        "equals" or "like" or "in" => ReadMatcher(value, context),
                        "exists" => new Matcher.Exists(!string.Equals(Scalar(value), "false", StringComparison.OrdinalIgnoreCase)),
                        "contains" => new Matcher.Contains(Scalar(value) ?? string.Empty),
                        "matches" => Regex(value, context),
                        "gt" or "gte" or "lt" or "lte" => Number(op, value, context),
                        "not" => ReadMatcher(value, context) is { } inner ? new Matcher.Not(inner) : null,
                        _ => null,
                    };
                    if (op is null || Array.IndexOf(s_operators, op) < 0)
                    {
                        context.Error($"Unknown operator '{op}'; use {string.Join(", ", s_operators)}.", keyNode.Start);
                    }
                    else if (matcher is not null)
                    {
                        parts.Add(matcher);
                    }
                }

                return parts.Count == 1 ? parts[0] : new Matcher.All(parts);
            default:
                context.Error("Expected a value, a list of values or a mapping of operators.", node.Start);
                return null;
        }
    }

    private static Matcher.Matches? Regex(YamlNode value, Context context)
    {
        var pattern = Scalar(value) ?? string.Empty;
        try
        {
            // Linear time whatever the input, so a crafted request URL cannot stall detection.
            return new Matcher.Matches(new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, s_matchTimeout));
        }
        catch (NotSupportedException)
        {
            // Lookarounds, backreferences, atomic groups: backtracking, under a timeout (the engine warns and, if it keeps timing out, switches the rule off).
        }
        catch (ArgumentException)
        {
            // Not a pattern at all: the backtracking constructor below says why.
        }

        try
        {
            return new Matcher.Matches(new Regex(pattern, RegexOptions.CultureInvariant, s_matchTimeout));
        }
        catch (ArgumentException ex)
        {
            context.Error("Bad regular expression: " + ex.Message, value.Start);
            return null;
        }
    }

    private static Matcher.Compare? Number(string op, YamlNode value, Context context)
    {
        if (double.TryParse(Scalar(value), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var bound))
        {
            return new Matcher.Compare(op, bound);
        }

        context.Error($"'{op}' needs a number, not '{Scalar(value)}'.", value.Start);
        return null;
    }

    private static void ReadAllow(YamlNode node, Context context)
    {
        var entries = AllowEntries(node, context, out var rules);
        context.Allow.Add(new ScopedAllowList(rules, entries));
    }

    // users: [...], groups: [...], namespaces: [...] (and, at file level, rules: [...]) as AllowList entries.
    private static List<string> AllowEntries(YamlNode node, Context context, out List<string> rules)
    {
        rules = [];
        var entries = new List<string>();
        if (node is not YamlMappingNode map)
        {
            context.Error("An allow-list is a mapping with users, groups and namespaces.", node.Start);
            return entries;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            switch (Scalar(keyNode))
            {
                case "users": entries.AddRange(Strings(value, "users", context)); break;
                case "groups": entries.AddRange(Strings(value, "groups", context).Select(g => "group:" + g)); break;
                case "namespaces": entries.AddRange(Strings(value, "namespaces", context).Select(n => "namespace:" + n)); break;
                case "rules": rules.AddRange(Strings(value, "rules", context)); break;
                default: context.Error($"Unknown allow-list key '{Scalar(keyNode)}'; use users, groups, namespaces (and rules).", keyNode.Start); break;
            }
        }

        return entries;
    }

    private static IEnumerable<YamlNode> Sequence(YamlNode node, string what, Context context)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence.Children;
        }

        if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        context.Error($"'{what}' is a list.", node.Start);
        return [];
    }

    private static IEnumerable<string> Strings(YamlNode node, string what, Context context) => node switch
    {
        YamlScalarNode { Value: { Length: > 0 } one } => [one],
        YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(s => s.Value).OfType<string>(),
        _ => Sequence(node, what, context).OfType<YamlScalarNode>().Select(s => s.Value).OfType<string>(),
    };

    private static string? Child(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(p => Scalar(p.Key) == key).Value is YamlScalarNode s ? s.Value : null;

    private static string? Scalar(YamlNode node) => node is YamlScalarNode s ? s.Value : null;

    // ~, null and an empty plain scalar are YAML null: the path must be absent.
    private static string? NullableScalar(YamlScalarNode node) =>
        node.Style == ScalarStyle.Plain && node.Value is null or "" or "~" or "null" or "Null" or "NULL" ? null : node.Value;

    // The condition as written, on one line, for Get-KubeAuditThreatRule.
    private static string Text(YamlMappingNode map, string key)
    {
        var node = map.Children.FirstOrDefault(p => Scalar(p.Key) == key).Value;
        return node is null ? string.Empty : Flatten(node);
    }

    private static string Flatten(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "null",
        YamlSequenceNode l => "[" + string.Join(", ", l.Children.Select(Flatten)) + "]",
        YamlMappingNode m => "{ " + string.Join(", ", m.Children.Select(p => Flatten(p.Key) + ": " + Flatten(p.Value))) + " }",
        _ => node.ToString(),
    };

    /// <summary>A plain value or list: wildcard patterns; without wildcards the values can index the rule.</summary>
    private sealed class LiteralLike(IReadOnlyList<string?> patterns) : Matcher
    {
        private readonly Matcher.Like _like = new(patterns);

        public IReadOnlyList<string>? Literals { get; } =
            patterns.All(p => p is not null && p.IndexOfAny(['*', '?', '[', ']', '`']) < 0) ? patterns.Select(p => p!.ToLowerInvariant()).ToArray() : null;

        public override bool Test(IEnumerable<string?> values) => _like.Test(values);
    }

    private sealed class Context(string? file)
    {
        private readonly List<Diagnostic> _diagnostics = [];

        public string? File { get; } = file;

        public List<DetectionRule> Rules { get; } = [];

        public List<ScopedAllowList> Allow { get; } = [];

        public List<string> Disable { get; } = [];

        public HashSet<string> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

        public int ErrorCount => _diagnostics.Count;

        public void Error(string message, Mark at, string code = DiagnosticCodes.InvalidThreatRule) =>
            _diagnostics.Add(new Diagnostic(code, DiagnosticSeverity.Error, message, File, at.Line, at.Column));

        public ThreatRuleFile Result() => new(Rules, Allow, Disable, _diagnostics);
    }
}
