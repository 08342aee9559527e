using System.Management.Automation;
using KubeAudit.Commands.Completion;
using KubeAudit.Commands.Threats;
using KubeAudit.Core.Detections;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Finds suspicious events in audit logs with built-in and user detection rules.</para>
/// </summary>
[Cmdlet(VerbsCommon.Find, "KubeAuditThreat", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ThreatFinding))]
public sealed class FindKubeAuditThreatCommand : AuditLogCommand
{
    private const string InputObjectSet = "InputObject";

    private readonly List<ThreatFinding> _found = [];
    private readonly List<Diagnostic> _notes = [];
    private ThreatEngine? _engine;
    private bool _missingBodiesWritten;

    #region Parameters

    /// <summary>Events to inspect, from Get-KubeAuditEvent.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public AuditEvent? InputObject { get; set; }

    /// <summary>User rule files: YAML (.yaml, .yml) or PowerShell (.ps1), or folders of them; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] RulePath { get; set; } = [];

    /// <summary>Use only the rules with these names; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ThreatRuleCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Rule { get; set; } = [];

    /// <summary>Leave out the rules with these names; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ThreatRuleCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] ExcludeRule { get; set; } = [];

    /// <summary>Report only findings of at least this severity.</summary>
    [Parameter]
    public ThreatSeverity MinimumSeverity { get; set; } = ThreatSeverity.Info;

    /// <summary>Users no rule reports; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] AllowUser { get; set; } = [];

    /// <summary>Namespaces no rule reports; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] AllowNamespace { get; set; } = [];

    /// <summary>Do not apply the rules' built-in allow-lists of Kubernetes' own identities.</summary>
    [Parameter]
    public SwitchParameter NoDefaultAllowList { get; set; }

    /// <summary>How many 401/403 responses for one identity make a burst (Auth.FailureBurst).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int BurstThreshold { get; set; } = 10;

    /// <summary>The time window of a burst (Auth.FailureBurst).</summary>
    [Parameter]
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromMinutes(1);

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (BurstWindow <= TimeSpan.Zero)
        {
            ThrowTerminatingError(Errors.InvalidBurstWindow(BurstWindow));
        }

        var rules = ThreatRuleInput.Load(this, RulePath, Rule, ExcludeRule, BurstThreshold, BurstWindow);
        if (rules.Rules.Count == 0)
        {
            WriteWarning("No rule is enabled: check -Rule and -ExcludeRule.");
        }

        _engine = new ThreatEngine(rules.Rules, new ThreatEngineOptions
        {
            MinimumSeverity = MinimumSeverity,
            Allow = AllowUser.Concat(AllowNamespace.Select(n => "namespace:" + n)).ToArray(),
            ScopedAllow = rules.Allow,
            NoDefaultAllowList = NoDefaultAllowList,
        });
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            if (InputObject is { } ev)
            {
                Inspect(ev);
            }

            return;
        }

        // Findings are written as soon as their event is read (with -Follow, the moment the API server logs it); rules
        // run on this thread, in log order, which stateful rules need.
        ReadLogs(Inspect);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        // One warning for the whole run, however many files and rules met events without bodies.
        WriteMissingBodies(string.Empty);
    }

    // A follow ends only by Ctrl+C, when nothing can be written any more: the body warning goes out the first time
    // the follow has caught up with the log's end and some rule has missed a body by then.
    /// <inheritdoc />
    protected override Action? CaughtUp => () => WriteMissingBodies(" (counted until the follow first reached the end of the log; later events are not counted)");

    #endregion

    private void WriteMissingBodies(string scope)
    {
        if (!_missingBodiesWritten && _engine?.MissingBodiesNote() is { } note)
        {
            _missingBodiesWritten = true;
            WriteWarning($"{note.Location}: {note.Message.TrimEnd('.')}{scope}.");
        }
    }

    private void Inspect(AuditEvent ev)
    {
        _engine!.Inspect(ev, _found, _notes);
        if (_notes.Count > 0)
        {
            foreach (var note in _notes)
            {
                WriteWarning($"{note.Location}: {note.Message}");
            }

            _notes.Clear();
        }

        if (_found.Count > 0)
        {
            foreach (var finding in _found)
            {
                WriteObject(finding);
            }

            _found.Clear();
        }
    }
}
