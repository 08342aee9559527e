using System.Management.Automation;
using KubeAudit.Commands.Completion;
using KubeAudit.Commands.Threats;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Lists the threat detection rules: the built-in ones and those of rule files.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeAuditThreatRule")]
[OutputType(typeof(ThreatRule))]
public sealed class GetKubeAuditThreatRuleCommand : PSCmdlet
{
    #region Parameters

    /// <summary>List only the rules with these names; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ThreatRuleCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>User rule files to load too: YAML (.yaml, .yml) or PowerShell (.ps1), or folders of them; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] RulePath { get; set; } = [];

    /// <summary>Mark the rules with these names as disabled, as Find-KubeAuditThreat -ExcludeRule would; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ThreatRuleCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] ExcludeRule { get; set; } = [];

    #endregion

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var rules = ThreatRuleInput.Load(this, RulePath, [], ExcludeRule);
        var names = Name.Select(n => new Glob(n)).ToArray();
        var matched = new bool[names.Length];
        foreach (var rule in rules.Described)
        {
            var hit = names.Length == 0;
            for (var i = 0; i < names.Length; i++)
            {
                if (names[i].IsMatch(rule.Name))
                {
                    matched[i] = hit = true;
                }
            }

            if (hit)
            {
                WriteObject(rule);
            }
        }

        // As Get-Item does: a name without wildcards that matches nothing is an error; a pattern that matches nothing is not.
        for (var i = 0; i < names.Length; i++)
        {
            if (!matched[i] && names[i].Literal is { } literal)
            {
                WriteError(Errors.ThreatRuleNotFound(literal));
            }
        }
    }
}
