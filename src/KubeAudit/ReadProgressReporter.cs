using System.Diagnostics;
using System.Management.Automation;
using KubeAudit.Core.Events;

namespace KubeAudit.Commands;

/// <summary>Progress for large reads: costs a little per record, so only large reads get it, and at most twice a second.</summary>
internal sealed class ReadProgressReporter(PSCmdlet cmdlet, ReadProgress progress)
{
    private const long ThresholdBytes = 32L * 1024 * 1024;
    private static readonly long s_interval = Stopwatch.Frequency / 2;
    private readonly ProgressRecord _record = new(1, "Reading audit log", "Starting");
    private long _lastShown = Stopwatch.GetTimestamp();
    private int _ticks;
    private bool _shown;

    public void Tick()
    {
        if ((++_ticks & 4095) != 0 || Stopwatch.GetTimestamp() - _lastShown < s_interval || progress.TotalBytes < ThresholdBytes)
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
