using System.Text.RegularExpressions;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Policy;

/// <summary>
/// Turns what <see cref="AuditPolicyReader"/> reports into policy findings. An unknown field becomes an
/// error although the API server loads the policy: it drops the field, so the rule matches more than written.
/// </summary>
internal static partial class ReaderFindings
{
    private static readonly string[] s_policyFields = ["apiVersion", "kind", "metadata", "rules", "omitStages", "omitManagedFields"];
    private static readonly string[] s_ruleFields = ["level", "users", "userGroups", "verbs", "resources", "namespaces", "nonResourceURLs", "omitStages", "omitManagedFields"];
    private static readonly string[] s_groupFields = ["group", "resources", "resourceNames"];

    public static List<PolicyFinding> From(IEnumerable<Diagnostic> diagnostics, string? file, bool emptyFile)
    {
        var findings = new List<PolicyFinding>();
        foreach (var d in diagnostics)
        {
            var path = QuotedPath().Match(d.Message) is { Success: true } m ? m.Groups[1].Value : null;
            var finding = d.Code switch
            {
                DiagnosticCodes.UnknownField => Unknown(path ?? string.Empty),
                DiagnosticCodes.InvalidPolicyField => Make(
                    PolicyFindingCodes.WrongType,
                    path,
                    WrongTypeMessage(d.Message, path),
                    "Give the field the type the Policy schema has (a string, a list or true/false).",
                    rejected: true),
                DiagnosticCodes.InvalidYaml => Make(PolicyFindingCodes.InvalidYaml, null, d.Message, "Fix the YAML syntax at this position.", rejected: true),
                DiagnosticCodes.ReadFailed => Make(PolicyFindingCodes.ReadFailed, null, d.Message, null, rejected: true),
                DiagnosticCodes.NotAPolicy when d.Severity == DiagnosticSeverity.Warning => Make(
                    PolicyFindingCodes.ExtraDocuments,
                    null,
                    d.Message,
                    "Keep only the Policy in the file.",
                    rejected: false),
                DiagnosticCodes.NotAPolicy => Make(
                    PolicyFindingCodes.NotAPolicy,
                    null,
                    emptyFile ? d.Message + " The API server fails with \"unknown group version field audit.k8s.io/__internal, Kind=Policy in policy\"." : d.Message,
                    "Write a Policy document: apiVersion: audit.k8s.io/v1, kind: Policy, rules: [...].",
                    rejected: true),
                _ => Findings.Make(d.Severity.ToString(), d.Code, path, d.Message, null, null, null, rejected: d.Severity == DiagnosticSeverity.Error),
            };

            finding.File = d.File ?? file;
            finding.Line = (int)d.Line;
            finding.Column = (int)d.Column;
            finding.RuleIndex = path is not null && RuleIndex().Match(path) is { Success: true } r ? int.Parse(r.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            findings.Add(finding);
        }

        return findings;
    }

    private static PolicyFinding Unknown(string path)
    {
        var hint = UnknownFieldHint(path);
        return Make(
            PolicyFindingCodes.UnknownField,
            path,
            $"{path}: unknown field: the API server drops it (1.26+ logs \"strict decoding error: unknown field \\\"{path}\\\"\" and falls back to lenient decoding), so it has no effect",
            hint,
            rejected: false);
    }

    // Names the field that was probably meant: misindented (a rule field under resources[k]) or misspelt.
    private static string UnknownFieldHint(string path)
    {
        var dot = path.LastIndexOf('.');
        var name = dot < 0 ? path : path[(dot + 1)..];
        var parent = dot < 0 ? string.Empty : path[..dot];
        var here = parent.Length == 0 ? s_policyFields : parent.EndsWith(']') && parent.Contains(".resources[", StringComparison.Ordinal) ? s_groupFields : s_ruleFields;
        var close = here.FirstOrDefault(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(f, name + "s", StringComparison.OrdinalIgnoreCase)
            || string.Equals(f + "s", name, StringComparison.OrdinalIgnoreCase));
        if (close is not null)
        {
            return $"Did you mean '{close}'? Field names are case-sensitive.";
        }

        if (here == s_groupFields && s_ruleFields.Contains(name))
        {
            return $"'{name}' belongs to the rule, not to a resources entry: indent it to line up with 'resources'.";
        }

        if (here == s_ruleFields && s_groupFields.Contains(name))
        {
            return $"'{name}' belongs inside a resources entry (next to 'group').";
        }

        return "Remove it, or fix its spelling or indentation; the API server ignores it.";
    }

    private static string WrongTypeMessage(string message, string? path)
    {
        var m = MustBe().Match(message);
        return m.Success
            ? $"{m.Groups[1].Value}: must be {m.Groups[2].Value}; the API server fails to decode the policy"
            : (path is null ? message : path + ": " + message);
    }

    private static PolicyFinding Make(string code, string? path, string message, string? hint, bool rejected) =>
        Findings.Make(code == PolicyFindingCodes.ExtraDocuments ? Findings.Warning : Findings.Error, code, path, message, hint, null, null, rejected);

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedPath();

    [GeneratedRegex(@"^rules\[(\d+)\]")]
    private static partial Regex RuleIndex();

    [GeneratedRegex(@"^'([^']*)' must be (.*)\.$")]
    private static partial Regex MustBe();
}
