using System.Management.Automation;
using KubeAudit.Commands.Rbac;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Rbac;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Generates the least RBAC (Roles, ClusterRole and bindings) that allows what one subject did in audit logs.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "KubeAuditRbacPolicy", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(string))]
[OutputType(typeof(RbacRole), typeof(RbacBinding), typeof(RbacRuleExplanation), typeof(FileInfo))]
public sealed class NewKubeAuditRbacPolicyCommand : RbacLogCommand
{
    private RbacPolicyGenerator? _generator;
    private RbacSubject? _subject;

    #region Parameters

    /// <summary>Only requests in this namespace (no cluster-scoped or non-resource requests).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>The same request in two or more namespaces is granted in every namespace.</summary>
    [Parameter]
    public SwitchParameter ExpandMultiNamespace { get; set; }

    /// <summary>The same request on two or more names is granted on any name.</summary>
    [Parameter]
    public SwitchParameter ExpandMultiName { get; set; }

    /// <summary>Grant only the verbs seen (no list→get,watch; update→get,patch widening).</summary>
    [Parameter]
    public SwitchParameter ExactVerbs { get; set; }

    /// <summary>Leave out requests the authorizer denied.</summary>
    [Parameter]
    public SwitchParameter ExcludeDenied { get; set; }

    /// <summary>The name of the roles and bindings (default kubeaudit:&lt;subject&gt;).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Write the YAML to this file (all or nothing) instead of the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Replace an existing -OutFile.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>With -OutFile: output the file written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Output role and binding objects instead of YAML.</summary>
    [Parameter]
    public SwitchParameter AsObject { get; set; }

    /// <summary>Output, for each rule, the requests (and events) behind it instead of YAML.</summary>
    [Parameter]
    public SwitchParameter Explain { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _subject = ResolveSubject(required: true)!;
        _generator = new RbacPolicyGenerator(_subject, new RbacGeneratorOptions
        {
            ExpandMultiNamespace = ExpandMultiNamespace,
            ExpandMultiName = ExpandMultiName,
            ExactVerbs = ExactVerbs,
            ExcludeDenied = ExcludeDenied,
            Namespace = Namespace,
            Name = Name,
            CollectEvidence = Explain,
        });
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (IsStopped)
        {
            return;
        }

        var policy = _generator!.Build();
        WriteVerbose($"{_generator.EventsMatched} event(s) of {_subject}; {policy.EventCount} request(s) used, " +
            $"from {Time(policy.From)} to {Time(policy.To)}.");
        if (policy.Roles.Count == 0)
        {
            if (_generator.EventsMatched == 0)
            {
                WriteError(Errors.NoMatchingEvents(_subject!, Namespace));
            }
            else
            {
                WriteWarning($"Every request of {_subject} is allowed to all authenticated users (discovery, self-reviews){(ExcludeDenied ? " or was denied" : string.Empty)}; no role is needed.");
            }

            return;
        }

        if (OutFile is not null)
        {
            WriteFile(RbacYamlWriter.Write(policy));
        }

        if (Explain)
        {
            WriteObject(RbacRuleExplanation.From(policy), enumerateCollection: true);
        }
        else if (AsObject)
        {
            WriteObject(policy.Roles, enumerateCollection: true);
            WriteObject(policy.Bindings, enumerateCollection: true);
        }
        else if (OutFile is null)
        {
            WriteObject(RbacYamlWriter.Write(policy));
        }
    }

    /// <inheritdoc />
    protected override AuditEventFilter? LogFilter => RbacEventFilter.For(_subject!, Namespace);

    /// <inheritdoc />
    protected override void Add(AuditEvent ev) => _generator!.Add(ev);

    #endregion

    private void WriteFile(string yaml)
    {
        var written = NewFileWriter.WriteOrStop(this, OutFile!, Force, "rbac.yaml", "generated RBAC", "Replace with the generated RBAC", () => yaml);
        if (PassThru && written is not null)
        {
            WriteObject(written);
        }
    }

    private static string Time(DateTimeOffset? time) => time is { } t ? RbacPolicyGenerator.Utc(t) : "-";
}
