using System.Management.Automation;
using KubeAudit.Commands.Completion;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Stores;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Reads Kubernetes API-server audit events from log files.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeAuditEvent", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AuditEvent))]
[OutputType(typeof(long), ParameterSetName = [StoreSet])]
public sealed class GetKubeAuditEventCommand : AuditLogCommand, IEventFilterParameters
{
    private const string StoreSet = "Store";

    private AuditEventFilter? _filter;

    #region Parameters

    /// <summary>Keep events with these verbs.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(VerbCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Verb { get; set; } = [];

    /// <summary>Keep events by these authenticated users; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] User { get; set; } = [];

    /// <summary>Keep events by users in these groups; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Group { get; set; } = [];

    /// <summary>Keep events on these resources (pods, pods/exec, */status); wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Resource { get; set; } = [];

    /// <summary>Keep events in these namespaces; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Namespace { get; set; } = [];

    /// <summary>Keep events on objects with these names; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Keep events logged at these levels.</summary>
    [Parameter]
    [ValidateSet("Metadata", "Request", "RequestResponse", IgnoreCase = true)]
    public string[] Level { get; set; } = [];

    /// <summary>Keep events of these stages.</summary>
    [Parameter]
    [ValidateSet("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic", IgnoreCase = true)]
    public string[] Stage { get; set; } = [];

    /// <summary>Keep events with these HTTP status codes (the events' Code property; -StatusCode is an alias).</summary>
    [Parameter]
    [Alias("StatusCode")]
    [ValidateRange(100, 599)]
    public int[] Code { get; set; } = [];

    /// <summary>Keep events received at or after this time: a date, or a time back from now (15m, 1h, 2d).</summary>
    [Parameter]
    [RelativeTime]
    [ArgumentCompleter(typeof(RelativeTimeCompleter))]
    public DateTime? Since { get; set; }

    /// <summary>Keep events received at or before this time: a date, or a time back from now (15m, 1h, 2d).</summary>
    [Parameter]
    [RelativeTime]
    [ArgumentCompleter(typeof(RelativeTimeCompleter))]
    public DateTime? Until { get; set; }

    /// <summary>Keep events with these audit IDs.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] AuditId { get; set; } = [];

    /// <summary>Query a store instead of files: its address, e.g. http://clickhouse:8123 or https://es:9200.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StoreSet)]
    public Uri? Uri { get; set; }

    /// <summary>Which store answers at -Uri.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StoreSet)]
    public AuditStoreEngine Engine { get; set; }

    /// <summary>The index or data stream (Elasticsearch, OpenSearch), or [database.]table (ClickHouse; -Table).</summary>
    [Parameter(Mandatory = true, ParameterSetName = StoreSet)]
    [Alias("Table")]
    [ValidateNotNullOrEmpty]
    public string Index { get; set; } = string.Empty;

    /// <summary>User name and password for basic authentication to the store.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>An Elasticsearch/OpenSearch API key (the encoded id:key).</summary>
    [Parameter(ParameterSetName = StoreSet)]
    public System.Security.SecureString? ApiKey { get; set; }

    /// <summary>A CA certificate (PEM or DER) that signs the store's certificate, trusted besides the system's.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    /// <summary>Accept any server certificate (test set-ups only).</summary>
    [Parameter(ParameterSetName = StoreSet)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Output only the number of matching events, counted by the store.</summary>
    [Parameter(ParameterSetName = StoreSet)]
    public SwitchParameter Count { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing() => _filter = this.ToFilter();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == StoreSet)
        {
            QueryStore();
            return;
        }

        ReadLogs(WriteObject, _filter);
    }

    #endregion

    // Only matching events travel: the filter is compiled into the store's query.
    private void QueryStore()
    {
        var connection = StoreParameters.Connection(this, Uri!, Engine, Index, Credential, ApiKey, CertificatePath, SkipCertificateCheck);
        using var store = StoreParameters.Open(this, connection, StoreFactory.OpenReader);
        try
        {
            if (Count)
            {
                WriteObject(store.Count(_filter!, StopToken));
                return;
            }

            foreach (var record in store.Query(_filter!, StopToken))
            {
                RecordWriter.Write(this, record);
            }
        }
        catch (StoreException ex)
        {
            WriteError(Errors.StoreFailed(ex, connection));
        }
        catch (OperationCanceledException) when (IsStopped)
        {
            // Ctrl+C.
        }
    }
}
