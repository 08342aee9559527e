using System.Management.Automation;
using KubeAudit.Commands.Completion;
using KubeAudit.Commands.Compliance;
using KubeAudit.Commands.Policy;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Tells which audit level a policy gives a request or a logged event, and which rule decides.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Resolve, "KubeAuditLevel", DefaultParameterSetName = EventSet)]
[OutputType(typeof(AuditLevelDecision))]
public sealed class ResolveKubeAuditLevelCommand : PSCmdlet, IDisposable
{
    // Cancelled by Ctrl+C: checking a very large policy first can take a while.
    private readonly CancellationTokenSource _stop = new();
    private const string EventSet = "Event";
    private const string ResourceSet = "Resource";
    private const string NonResourceSet = "NonResource";

    private LevelResolver? _resolver;

    #region Parameters

    /// <summary>The policy: a file path, or a KubeAudit.AuditPolicy from Get-KubeAuditPolicy.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object Policy { get; set; } = null!;

    /// <summary>Logged events to re-evaluate, from Get-KubeAuditEvent.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EventSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public AuditEvent? InputObject { get; set; }

    /// <summary>The verb (get, list, watch, create, ...; for non-resource URLs the HTTP method, e.g. get, post).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResourceSet)]
    [Parameter(Mandatory = true, ParameterSetName = NonResourceSet)]
    [ArgumentCompleter(typeof(VerbCompleter))]
    [ValidateNotNullOrEmpty]
    public string Verb { get; set; } = string.Empty;

    /// <summary>The resource, plural (pods), or resource/subresource (pods/exec).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResourceSet)]
    [ArgumentCompleter(typeof(ResourceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Resource { get; set; } = string.Empty;

    /// <summary>The subresource (exec, log, status, ...).</summary>
    [Parameter(ParameterSetName = ResourceSet)]
    public string Subresource { get; set; } = string.Empty;

    /// <summary>The API group; empty for the core group (pods, secrets, ...).</summary>
    [Parameter(ParameterSetName = ResourceSet)]
    public string ApiGroup { get; set; } = string.Empty;

    /// <summary>The namespace; empty for cluster-scoped resources and for lists across namespaces.</summary>
    [Parameter(ParameterSetName = ResourceSet)]
    public string Namespace { get; set; } = string.Empty;

    /// <summary>The object name; empty for create, list and watch.</summary>
    [Parameter(ParameterSetName = ResourceSet)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The non-resource URL path (/healthz, /metrics, ...).</summary>
    [Parameter(Mandatory = true, ParameterSetName = NonResourceSet)]
    [ValidateNotNullOrEmpty]
    public string NonResourceUrl { get; set; } = string.Empty;

    /// <summary>The authenticated user name; without it and -Group, the request has no user at all.</summary>
    [Parameter(ParameterSetName = ResourceSet)]
    [Parameter(ParameterSetName = NonResourceSet)]
    public string? User { get; set; }

    /// <summary>The user's groups.</summary>
    [Parameter(ParameterSetName = ResourceSet)]
    [Parameter(ParameterSetName = NonResourceSet)]
    [ValidateNotNull]
    public string[] Group { get; set; } = [];

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // Pester loaded after KubeAudit: -HaveAuditLevel becomes available for the next pipeline.
        ShouldOperators.EnsureRegistered(this);

        // Checked and compiled once; each event then costs a match and the decision object.
        _resolver = new LevelResolver(PolicyInput.Load(this, Policy, _stop.Token));
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == EventSet)
        {
            if (InputObject is not null)
            {
                WriteObject(_resolver!.Resolve(InputObject));
            }

            return;
        }

        // A view without the event columns (time, level logged), which would stay empty.
        var decision = PSObject.AsPSObject(_resolver!.Resolve(BuildRequest()));
        decision.TypeNames.Insert(0, "KubeAudit.AuditLevelDecision#Request");
        WriteObject(decision);
    }

    #endregion

    private AuditRequest BuildRequest()
    {
        var request = new AuditRequest
        {
            // A request always has an authenticated user except after a failed authentication.
            User = User ?? (Group.Length > 0 ? string.Empty : null),
            Groups = Group,

            // The API server's verbs are lower case, and so are the HTTP methods it logs.
            Verb = Verb.ToLowerInvariant(),
        };

        if (ParameterSetName == NonResourceSet)
        {
            var query = NonResourceUrl.IndexOf('?');
            request.Path = query < 0 ? NonResourceUrl : NonResourceUrl[..query];
            return request;
        }

        var resource = Resource;
        var subresource = Subresource;
        var slash = resource.IndexOf('/');
        if (slash >= 0)
        {
            if (subresource.Length > 0)
            {
                ThrowTerminatingError(Errors.InvalidRequest($"-Resource '{resource}' already names a subresource; drop -Subresource or the '/{resource[(slash + 1)..]}'.", resource));
            }

            subresource = resource[(slash + 1)..];
            resource = resource[..slash];
        }

        request.IsResourceRequest = true;
        request.ApiGroup = ApiGroup;
        request.Resource = resource;
        request.Subresource = subresource;
        request.Namespace = Namespace;
        request.Name = Name;
        return request;
    }
}
