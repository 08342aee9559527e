using System.Collections;
using System.Management.Automation;
using KubeAudit.Core.Detections;

namespace KubeAudit.Commands.Threats;

/// <summary>
/// A user rule written in PowerShell: a hashtable from a .ps1 rule file whose Condition script block
/// gets the event as <c>$_</c> and returns true, or a string that fills <c>{detail}</c>. Runs on the
/// pipeline thread, as PowerShell must.
/// </summary>
internal static class ScriptBlockRule
{
    private static readonly string[] s_keys = ["Name", "Severity", "Description", "Condition", "Technique", "TechniqueName", "Tags", "Resource", "AllowUser"];

    /// <summary>A rule from one hashtable of a .ps1 file; null with an error written when it is unusable.</summary>
    public static DetectionRule? Create(PSCmdlet cmdlet, IDictionary table, string file, int index)
    {
        string? Text(string key) => Get(table, key) is { } v ? LanguagePrimitives.ConvertTo<string>(v) : null;
        string[] List(string key) => Get(table, key) is { } v ? LanguagePrimitives.ConvertTo<string[]>(v) : [];

        var unknown = table.Keys.Cast<object>().Select(k => k.ToString()!).Where(k => !s_keys.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        var name = Text("Name");
        var condition = Get(table, "Condition") as ScriptBlock;
        var severity = ThreatSeverity.Medium;
        var problem = unknown.Count > 0 ? $"unknown key(s) {string.Join(", ", unknown)}; a rule has {string.Join(", ", s_keys)}"
            : string.IsNullOrWhiteSpace(name) ? "it has no Name"
            : condition is null ? "its Condition is not a script block"
            : Text("Severity") is { } s && !(Enum.TryParse(s, true, out severity) && Enum.IsDefined(severity)) ? $"Severity '{s}' is not one of Critical, High, Medium, Low, Info"
            : null;
        if (problem is not null)
        {
            cmdlet.WriteError(Errors.InvalidRule(file, $"Rule {index} of {file}: {problem}."));
            return null;
        }

        var resources = List("Resource");
        var info = ThreatRules.Describe(
            name!,
            severity,
            Text("Description") ?? "{user} {verb} {resource} {target}",
            condition!.ToString().Trim(),
            Text("Technique"),
            Text("TechniqueName"),
            file,
            allow: List("AllowUser"),
            tags: List("Tags"));
        var failed = false;
        return new PredicateRule(info, resources.Length == 0 ? null : resources.Select(r => r.ToLowerInvariant()).ToArray(), ev =>
        {
            try
            {
                var result = condition.InvokeWithContext(null, [new PSVariable("_", ev), new PSVariable("PSItem", ev)]);
                if (result.Count == 1 && result[0]?.BaseObject is string { Length: > 0 } detail)
                {
                    return (Verdict.Match, detail);
                }

                return (LanguagePrimitives.IsTrue(result.Count == 1 ? result[0] : result) ? Verdict.Match : Verdict.NoMatch, null);
            }
            catch (RuntimeException ex) when (!failed)
            {
                // Once per rule: a broken condition would otherwise fail on every event.
                failed = true;
                cmdlet.WriteError(Errors.RuleFailed(info.Name, ex));
                return (Verdict.NoMatch, null);
            }
            catch (RuntimeException)
            {
                return (Verdict.NoMatch, null);
            }
        });
    }

    private static object? Get(IDictionary table, string key)
    {
        foreach (DictionaryEntry entry in table)
        {
            if (string.Equals(entry.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value is PSObject pso ? pso.BaseObject : entry.Value;
            }
        }

        return null;
    }
}
