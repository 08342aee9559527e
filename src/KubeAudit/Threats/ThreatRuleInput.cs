using System.Collections;
using System.Management.Automation;
using KubeAudit.Core.Detections;
using KubeAudit.Core.Detections.BuiltIn;
using KubeAudit.Core.Detections.Yaml;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Commands.Threats;

/// <summary>
/// The rule set of one command: the built-in rules plus those of -RulePath files (YAML rules as data,
/// or .ps1 files returning hashtables with a Condition script block), with -Rule/-ExcludeRule and the
/// files' <c>disable</c> lists applied. A user rule with a built-in rule's name replaces it.
/// </summary>
internal sealed class ThreatRuleInput
{
    private ThreatRuleInput(IReadOnlyList<DetectionRule> rules, IReadOnlyList<ThreatRule> described, IReadOnlyList<ScopedAllowList> allow)
    {
        Rules = rules;
        Described = described;
        Allow = allow;
    }

    /// <summary>The enabled rules.</summary>
    public IReadOnlyList<DetectionRule> Rules { get; }

    /// <summary>Every rule, enabled or not, as Get-KubeAuditThreatRule shows them.</summary>
    public IReadOnlyList<ThreatRule> Described { get; }

    /// <summary>The allow-lists of the rule files.</summary>
    public IReadOnlyList<ScopedAllowList> Allow { get; }

    public static ThreatRuleInput Load(
        PSCmdlet cmdlet,
        string[] rulePaths,
        string[] include,
        string[] exclude,
        int burstThreshold = 10,
        TimeSpan? burstWindow = null)
    {
        var rules = new List<DetectionRule>(BuiltInRules.Create(burstThreshold, burstWindow));
        var allow = new List<ScopedAllowList>();
        var disable = new List<string>();
        foreach (var file in PathResolver.Resolve(cmdlet, rulePaths, literal: false, cmdlet.WriteError).SelectMany(Expand))
        {
            var loaded = file.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) ? LoadScript(cmdlet, file)
                : file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) ? LoadYaml(cmdlet, file)
                : null;
            if (loaded is null)
            {
                cmdlet.WriteError(Errors.UnknownRuleFile(file));
                continue;
            }

            allow.AddRange(loaded.Allow);
            disable.AddRange(loaded.Disable);
            foreach (var rule in loaded.Rules)
            {
                var same = rules.FindIndex(r => string.Equals(r.Info.Name, rule.Info.Name, StringComparison.OrdinalIgnoreCase));
                if (same < 0)
                {
                    rules.Add(rule);
                    continue;
                }

                cmdlet.WriteVerbose($"Rule {rule.Info.Name} from {file} replaces the one from {rules[same].Info.Source}.");
                rules[same] = rule;
            }
        }

        var includeGlobs = include.Select(p => new Glob(p)).ToArray();
        var excludeGlobs = exclude.Concat(disable).Select(p => new Glob(p)).ToArray();
        bool Enabled(DetectionRule r) =>
            (includeGlobs.Length == 0 || includeGlobs.Any(g => g.IsMatch(r.Info.Name))) && !excludeGlobs.Any(g => g.IsMatch(r.Info.Name));

        return new ThreatRuleInput(
            rules.Where(Enabled).ToList(),
            rules.Select(r => ThreatRules.WithEnabled(r.Info, Enabled(r))).ToList(),
            allow);
    }

    // A folder stands for the rule files in it.
    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
                || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)
            : [path];

    private static ThreatRuleFile LoadYaml(PSCmdlet cmdlet, string file)
    {
        var result = ThreatRuleFileReader.ReadFile(file);
        foreach (var diagnostic in result.Diagnostics)
        {
            RecordWriter.WriteProblem(cmdlet, diagnostic);
        }

        return result;
    }

    // A .ps1 rule file runs in the caller's session and returns rule hashtables.
    private static ThreatRuleFile LoadScript(PSCmdlet cmdlet, string file)
    {
        var rules = new List<DetectionRule>();
        System.Collections.ObjectModel.Collection<PSObject> output;
        try
        {
            output = cmdlet.InvokeCommand.InvokeScript(cmdlet.SessionState, ScriptBlock.Create(File.ReadAllText(file)));
        }
        catch (Exception ex) when (ex is RuntimeException or IOException or UnauthorizedAccessException)
        {
            cmdlet.WriteError(Errors.InvalidRule(file, $"The rule file {file} failed: {ex.Message}"));
            return new ThreatRuleFile([], [], [], []);
        }

        var index = 0;
        foreach (var item in output)
        {
            index++;
            if (item?.BaseObject is IDictionary table)
            {
                if (ScriptBlockRule.Create(cmdlet, table, file, index) is { } rule)
                {
                    rules.Add(rule);
                }
            }
            else
            {
                cmdlet.WriteError(Errors.InvalidRule(file, $"Output {index} of {file} is not a rule hashtable (@{{ Name = ...; Condition = {{ ... }} }})."));
            }
        }

        return new ThreatRuleFile(rules, [], [], []);
    }
}
