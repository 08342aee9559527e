using System.Collections;
using System.Management.Automation;
using KubeAudit.Core.Compliance;

namespace KubeAudit.Commands.Compliance;

/// <summary>Reads Pester's run object (Pester 5 and 6 alike) into compliance checks.</summary>
internal static class ResultMapper
{
    /// <summary>One check per test that ran, in run order, plus one per suite file that failed to load.</summary>
    public static List<ComplianceCheck> Checks(PSObject run, string benchmark)
    {
        var checks = new List<ComplianceCheck>();
        foreach (var test in Items(run, "Tests"))
        {
            var result = Text(test, "Result");
            if (result is "NotRun" or null)
            {
                continue; // left out by -Tag or -ExcludeCheck
            }

            result = result is "Passed" or "Failed" ? result : "Skipped";
            var message = ErrorText(test);
            if (Value(test, "Data") is ComplianceCheck check)
            {
                // The check's own evidence, unless the test ended otherwise (an edited suite file, an error in it).
                var evidence = result == check.Result ? check.Evidence : message ?? check.Evidence;
                checks.Add(ComplianceReport.WithResult(check, result, evidence));
            }
            else
            {
                var tags = Strings(test, "Tag");
                var name = Text(test, "ExpandedName") ?? Text(test, "Name") ?? "test";
                checks.Add(ComplianceReport.ForTest(tags.FirstOrDefault() ?? "Test", name, benchmark, result, message ?? string.Empty, tags));
            }
        }

        foreach (var container in Items(run, "Containers"))
        {
            if (Text(container, "Result") == "Failed" && !Items(container, "Blocks").Any())
            {
                // Discovery failed: the file's tests never existed, so it must count as a failure of its own.
                var file = Text(container, "Item") ?? "suite file";
                checks.Add(ComplianceReport.ForTest("KA-SUITE", $"The suite file {Path.GetFileName(file)} runs", benchmark, "Failed",
                    ErrorText(container) ?? "Pester could not run the file.", ["KA-SUITE"]));
            }
        }

        return checks;
    }

    public static string? Version(PSObject run) => Text(run, "Version");

    private static string? ErrorText(PSObject item)
    {
        var errors = Items(item, "ErrorRecord").Select(e => e.BaseObject is ErrorRecord r ? r.Exception?.Message ?? r.ToString() : e.ToString()).ToList();
        return errors.Count == 0 ? null : string.Join(" ", errors);
    }

    private static object? Value(PSObject o, string name)
    {
        var value = o.Properties[name]?.Value;
        return value is PSObject p ? p.BaseObject : value;
    }

    private static string? Text(PSObject o, string name) => Value(o, name)?.ToString();

    private static IEnumerable<PSObject> Items(PSObject o, string name) =>
        Value(o, name) is IEnumerable items and not string
            ? items.Cast<object?>().Where(i => i is not null).Select(PSObject.AsPSObject)
            : [];

    private static string[] Strings(PSObject o, string name) => [.. Items(o, name).Select(i => i.ToString())];
}
