namespace KubeAudit.Core.Policy;

/// <summary>
/// Decides the audit level of a request the way kube-apiserver's policy checker does (audit spec
/// §2.2–2.6): the first matching rule wins; no match gives None with the policy's omitStages.
/// Rules are compiled once, so evaluation compares strings and allocates nothing but the result.
/// </summary>
public sealed class LevelResolver
{
    /// <summary>Policies with more rules than this resolve through a <see cref="RuleIndex"/>; below, a scan is as fast.</summary>
    internal const int IndexFrom = 32;

    private readonly CompiledRule[] _rules;
    private readonly RuleIndex? _index;
    private readonly string[] _policyOmitStages;
    private readonly bool _policyOmitManagedFields;

    /// <summary>Compiles <paramref name="policy"/>. Later changes to the policy are not seen.</summary>
    public LevelResolver(AuditPolicy policy)
        : this(policy, IndexFrom)
    {
    }

    /// <summary>Compiles <paramref name="policy"/>, indexing its rules when it has more than <paramref name="indexFrom"/> (tests compare both ways).</summary>
    internal LevelResolver(AuditPolicy policy, int indexFrom)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        _rules = policy.Rules.Select(r => new CompiledRule(r, policy)).ToArray();
        _policyOmitStages = AuditStages.Union(policy.OmitStages, null);
        _policyOmitManagedFields = policy.OmitManagedFields;
        _index = _rules.Length > indexFrom ? new RuleIndex(_rules) : null;
    }

    /// <summary>The policy evaluated.</summary>
    public AuditPolicy Policy { get; }

    /// <summary>What the policy decides for <paramref name="request"/>.</summary>
    public AuditLevelDecision Resolve(AuditRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Decide(request, MatchIndex(request), null);
    }

    /// <summary>What the policy decided for the request a logged event records (audit spec §2.8).</summary>
    public AuditLevelDecision Resolve(AuditEvent auditEvent)
    {
        var request = AuditRequestMapper.FromEvent(auditEvent);
        return Decide(request, MatchIndex(request), auditEvent);
    }

    /// <summary>The index of the first rule that matches, or -1. Allocation-free.</summary>
    public int MatchIndex(AuditRequest request) => _index?.MatchIndex(request) ?? LinearMatchIndex(request);

    /// <summary>The first matching rule found by trying every rule in order, as the API server does.</summary>
    internal int LinearMatchIndex(AuditRequest request)
    {
        var rules = _rules;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Matches(request))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The level the policy gives <paramref name="request"/>; None when no rule matches. Allocation-free.</summary>
    public string ResolveLevel(AuditRequest request)
    {
        var index = MatchIndex(request);
        return index < 0 ? AuditLevels.None : _rules[index].Level;
    }

    /// <summary>Whether rule <paramref name="ruleIndex"/> alone matches <paramref name="request"/>, ignoring rule order.</summary>
    public bool RuleMatches(int ruleIndex, AuditRequest request) => _rules[ruleIndex].Matches(request);

    private AuditLevelDecision Decide(AuditRequest request, int index, AuditEvent? auditEvent)
    {
        if (index < 0)
        {
            return new AuditLevelDecision
            {
                Level = AuditLevels.None,

                // Copies: the arrays are shared by every decision and callers may change theirs.
                OmitStages = _policyOmitStages.Length == 0 ? [] : (string[])_policyOmitStages.Clone(),
                OmitManagedFields = _policyOmitManagedFields,
                Request = request,
                Event = auditEvent,
            };
        }

        var rule = _rules[index];
        return new AuditLevelDecision
        {
            Level = rule.Level,
            OmitStages = rule.OmitStages.Length == 0 ? [] : (string[])rule.OmitStages.Clone(),
            OmitManagedFields = rule.OmitManagedFields,
            RuleIndex = index,
            RuleLine = rule.Rule.Line,
            Rule = rule.Rule,
            Request = request,
            Event = auditEvent,
        };
    }
}
