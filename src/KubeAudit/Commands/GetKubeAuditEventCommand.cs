using System.Diagnostics;
using System.Management.Automation;
using KubeAudit.Commands.Completion;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Events.Reading;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Reads Kubernetes API-server audit events from log files.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeAuditEvent", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AuditEvent))]
public sealed class GetKubeAuditEventCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    // Progress costs a little per record; only large reads get it, and at most twice a second.
    private const long ProgressThresholdBytes = 32L * 1024 * 1024;
    private static readonly long s_progressInterval = Stopwatch.Frequency / 2;

    private readonly CancellationTokenSource _stop = new();
    private AuditEventFilter? _filter;

    #region Parameters

    /// <summary>Log files to read; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Log files to read, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

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

    /// <summary>Keep events with these HTTP status codes.</summary>
    [Parameter]
    [ValidateRange(100, 599)]
    public int[] StatusCode { get; set; } = [];

    /// <summary>Keep events received at or after this time.</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    /// <summary>Keep events received at or before this time.</summary>
    [Parameter]
    public DateTime? Until { get; set; }

    /// <summary>Keep events with these audit IDs.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] AuditId { get; set; } = [];

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing() => _filter = BuildFilter();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        var files = new List<string>();
        foreach (var path in PathResolver.Resolve(this, literal ? LiteralPath : Path, literal, WriteError))
        {
            if (Directory.Exists(path))
            {
                WriteError(new ErrorRecord(
                    new IOException($"'{path}' is a directory; give the log files in it, e.g. '{System.IO.Path.Combine(path, "*.log")}'."),
                    "KubeAudit.PathIsDirectory",
                    ErrorCategory.InvalidArgument,
                    path));
                continue;
            }

            files.Add(path);
        }

        if (files.Count > 0)
        {
            ReadFiles(files);
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    #endregion

    private void ReadFiles(IReadOnlyList<string> files)
    {
        var progress = new ReadProgress();
        var reporter = new ProgressReporter(this, progress);
        try
        {
            // Reading and parsing run on worker threads (large files in pieces) while this thread feeds the pipeline.
            foreach (var record in SegmentedLogReader.Read(files, _filter, progress, _stop.Token, Environment.ProcessorCount))
            {
                RecordWriter.Write(this, record);
                reporter.Tick();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: the pipeline is stopping.
        }
        finally
        {
            reporter.Complete();
        }
    }

    private AuditEventFilter BuildFilter() => new()
    {
        Verbs = Verb.Select(v => v.ToLowerInvariant()).ToArray(),
        Users = User,
        Groups = Group,
        Resources = Resource,
        Namespaces = Namespace,
        Names = Name,
        Levels = Level.Select(l => Canonical(l, "Metadata", "Request", "RequestResponse")).ToArray(),
        Stages = Stage.Select(s => Canonical(s, "RequestReceived", "ResponseStarted", "ResponseComplete", "Panic")).ToArray(),
        StatusCodes = StatusCode,
        Since = Since is { } since ? ToOffset(since) : null,
        Until = Until is { } until ? ToOffset(until) : null,
        AuditIds = AuditId,
    };

    // ValidateSet accepts any case; the log has one.
    private static string Canonical(string value, params string[] names) =>
        names.First(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));

    // A DateTime without a zone is local time, as Get-Date gives it.
    private static DateTimeOffset ToOffset(DateTime time) =>
        time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time) : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Local));

    private sealed class ProgressReporter(PSCmdlet cmdlet, ReadProgress progress)
    {
        private readonly ProgressRecord _record = new(1, "Reading audit log", "Starting");
        private long _lastShown = Stopwatch.GetTimestamp();
        private int _ticks;
        private bool _shown;

        public void Tick()
        {
            if ((++_ticks & 4095) != 0 || Stopwatch.GetTimestamp() - _lastShown < s_progressInterval || progress.TotalBytes < ProgressThresholdBytes)
            {
                return;
            }

            _lastShown = Stopwatch.GetTimestamp();
            var total = progress.TotalBytes;
            var read = Math.Min(progress.BytesRead, total);
            _record.StatusDescription = $"{progress.CurrentFile}: {read / (1024 * 1024)} of {total / (1024 * 1024)} MB";
            _record.PercentComplete = (int)(100 * read / total);
            cmdlet.WriteProgress(_record);
            _shown = true;
        }

        public void Complete()
        {
            if (_shown)
            {
                _record.RecordType = ProgressRecordType.Completed;
                cmdlet.WriteProgress(_record);
            }
        }
    }
}
