# Rows of issue 16 (the pipeline against PowerShell's floor, the first answer, a compressed history, a busy
# API server), dot-sourced by Invoke-Benchmark.ps1: they use its $psd1, $pwshDll, $benchTool, $work, $root,
# Measure-Process and Get-Log.

function Invoke-PwshResult([string] $Script) {
    # One fresh pwsh; the script prints "RESULT <fields...>"; returns the fields.
    $out = & dotnet $pwshDll -NoProfile -NonInteractive -Command $Script
    $line = $out | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
    if (-not $line) { throw "No result from:`n$Script`n$($out -join "`n")" }
    $line.Substring(7).Split(' ')
}
function ConvertTo-Number([string] $Text) { [double]::Parse($Text, [cultureinfo]::InvariantCulture) }

function Measure-PipelineFloor([string] $Log) {
    # PowerShell's floor: the same Where-Object | Measure-Object over the events already in a list, first call.
    $f = Invoke-PwshResult @"
`$ErrorActionPreference = 'Stop'
Import-Module '$psd1'
`$events = [System.Collections.Generic.List[object]]::new([object[]]@(Get-KubeAuditEvent -Path '$Log'))
[GC]::Collect()
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$n = (`$events | Where-Object Verb -eq create | Measure-Object).Count
"RESULT {0} {1}" -f `$sw.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture), `$n
"@
    [pscustomobject]@{ Seconds = ConvertTo-Number $f[0]; Count = [long]$f[1]; PeakMB = $null }
}

function Measure-FirstAnswer([string] $Log, [int] $Runs = 5, [string] $Warm = '$null = Get-Command Get-ChildItem') {
    # In a running pwsh: Import-Module plus the first query, clock started before the import; median of runs.
    # "Running" is a host that has done $Warm before (by default command lookup, as its prompt and PSReadLine
    # have); PowerShell's own first pipeline (Where-Object, Measure-Object) stays inside the clock unless $Warm runs one.
    $times = foreach ($i in 1..$Runs) {
        $f = Invoke-PwshResult @"
$Warm
`$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$psd1'
`$n = (Get-KubeAuditEvent '$Log' | Where-Object Verb -eq create | Measure-Object).Count
"RESULT {0} {1}" -f `$sw.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture), `$n
"@
        [pscustomobject]@{ Seconds = ConvertTo-Number $f[0]; Count = [long]$f[1] }
    }
    $median = @($times | Sort-Object Seconds)[[int][math]::Floor($Runs / 2)]
    [pscustomobject]@{ Seconds = $median.Seconds; Count = $median.Count; PeakMB = $null }
}

function Measure-ProcessMedian([string] $Command, [int] $Runs = 5) {
    $all = foreach ($i in 1..$Runs) { Measure-Process $Command }
    @($all | Sort-Object Seconds)[[int][math]::Floor($Runs / 2)]
}

function New-RotatedFolder([int] $Count) {
    # A lumberjack-rotated history from the generator's log: nine audit-<time>.log.gz backups (oldest first by
    # name, gzip as lumberjack writes them) and the live audit.log, a tenth of the events each.
    $dir = Join-Path $work "rotated-$Count-$Seed"
    if (Test-Path (Join-Path $dir 'audit.log')) { return $dir }
    $null = New-Item -ItemType Directory -Force $dir
    $source = Get-Log $Count
    $per = [int][math]::Ceiling($Count / 10)
    $reader = [IO.StreamReader]::new($source)
    try {
        for ($part = 0; $part -lt 10; $part++) {
            $last = $part -eq 9
            $name = if ($last) { 'audit.log' } else { 'audit-{0}.log' -f ([datetime]'2026-01-05T09:00:00').AddHours($part).ToString('yyyy-MM-ddTHH-mm-ss.fff') }
            $writer = [IO.StreamWriter]::new((Join-Path $dir $name))
            try { for ($i = 0; $i -lt $per -and $null -ne ($line = $reader.ReadLine()); $i++) { $writer.Write($line); $writer.Write("`n") } }
            finally { $writer.Dispose() }
            if (-not $last) { Invoke-Native gzip -f (Join-Path $dir $name) }
        }
    }
    finally { $reader.Dispose() }
    $dir
}

function Get-DuckDbFilesRow([string[]] $Files) {
    # DuckDB's read_json over a list of files (gzip detected from the extension), as Get-DuckDbRow does for one file.
    $dir = Join-Path $work 'duckdb'
    if (-not (Test-Path (Join-Path $dir 'node_modules/@duckdb/node-api'))) { return $null }
    $script = Join-Path $dir 'count-files.mjs'
    Set-Content $script @'
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const files = process.argv.slice(2).map(f => `'${f}'`).join(',');
const reader = await connection.runAndReadAll(`select count(*) as n from read_json([${files}], format='newline_delimited') where verb='create'`);
console.log(String(reader.getRows()[0][0]));
'@
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = node $script @Files 2>&1
    if ($LASTEXITCODE -ne 0) { Write-Host "DuckDB history row skipped: $($out | Select-Object -Last 1)"; return $null }
    [pscustomobject]@{ Seconds = $sw.Elapsed.TotalSeconds; Count = [long](($out | Select-Object -Last 1).ToString().Trim()); PeakMB = $null }
}

function Measure-Follow([int] $PerSecond = 20000, [int] $Seconds = 30, [long] $RotateBytes = 100MB) {
    # A busy API server: the bench tool's writer (its own process, so its CPU is not counted) appends events at
    # $PerSecond and rotates at $RotateBytes; a fresh pwsh follows audit.log until it has seen them all. The
    # follower checks each event's sequence number (the writer's auditIDs) in order, keeps no IDs, and reports its
    # own process CPU time from the follow's start, the time it saw the last event and its working set every 100k.
    $dir = Join-Path $work 'follow'
    if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    $null = New-Item -ItemType Directory -Force $dir
    $null = New-Item -ItemType File (Join-Path $dir 'audit.log')
    $total = [long]$PerSecond * $Seconds
    $follower = Join-Path $work 'follower.ps1'
    Set-Content $follower @"
`$ErrorActionPreference = 'Stop'
Import-Module '$psd1'
# The checker is compiled (a ForEach-Object script block would cost about as much CPU as the reading measured).
Add-Type -TypeDefinition @'
using System.Management.Automation;
[Cmdlet("Test", "FollowSequence")]
public sealed class TestFollowSequence : PSCmdlet {
    public static long Next, Bad; public static readonly System.Collections.Generic.List<long> Memory = new();
    [Parameter(ValueFromPipeline = true)] public PSObject InputObject { get; set; }
    protected override void ProcessRecord() {
        var id = (string)InputObject.Properties["AuditId"].Value;
        if (long.Parse(id.Substring(24)) != Next) { Bad++; }
        if (++Next % 100000 == 0) { Memory.Add(System.Environment.WorkingSet); }
    }
}
'@ -PassThru | ForEach-Object { Import-Module `$_.Assembly }
`$proc = [Diagnostics.Process]::GetCurrentProcess()
`$cpu0 = `$proc.TotalProcessorTime
Set-Content '$dir/ready' ''
Get-KubeAuditEvent -Path '$dir/audit.log' -Follow | Select-Object -First $total | Test-FollowSequence
`$end = [DateTime]::UtcNow
`$proc.Refresh()
"RESULT {0} {1} {2} {3} {4}" -f [TestFollowSequence]::Next, [TestFollowSequence]::Bad, (`$proc.TotalProcessorTime - `$cpu0).TotalSeconds.ToString([cultureinfo]::InvariantCulture), `$end.ToString('o'), (([TestFollowSequence]::Memory | ForEach-Object { [math]::Round(`$_ / 1MB) }) -join ',')
"@
    $job = Start-Job { param($dll, $f) & dotnet $dll -NoProfile -NonInteractive -File $f } -ArgumentList $pwshDll, $follower
    # The follower imports the module and compiles its checker, then says it is ready; a second later it waits on the empty file.
    $ready = [Diagnostics.Stopwatch]::StartNew()
    while (-not (Test-Path (Join-Path $dir 'ready')) -and $ready.Elapsed.TotalSeconds -lt 120) { Start-Sleep -Milliseconds 200 }
    Start-Sleep -Seconds 1
    $started = [DateTime]::UtcNow
    $writerEnd = [DateTime]::Parse((& dotnet $benchTool writer (Get-Log 40000) $dir $total $PerSecond $RotateBytes), [cultureinfo]::InvariantCulture, 'RoundtripKind')
    $null = Wait-Job $job -Timeout 60
    $out = Receive-Job $job; Remove-Job $job -Force   # a follower that lost events never ends; stopping the job ends it
    $line = $out | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
    if (-not $line) {
        Write-Host "Follower gave no result within 60 s of the writer's end:`n$($out -join "`n")"
        return [pscustomobject]@{ Seconds = [double]::NaN; Count = 0; PeakMB = $null; Expected = $total; OutOfSequence = -1; CpuSeconds = [double]::NaN; Cores = [double]::NaN; CpuMsPer1000 = [double]::NaN; BehindSeconds = [double]::PositiveInfinity; MemoryMB = @(); Backups = 0 }
    }
    $f = $line.Substring(7).Split(' ')
    $readerEnd = [DateTime]::Parse($f[3], [cultureinfo]::InvariantCulture, 'RoundtripKind')
    $cpu = ConvertTo-Number $f[2]
    $memory = @($f[4].Split(',') | Where-Object { $_ } | ForEach-Object { [double]$_ })
    [pscustomobject]@{
        Seconds = ($readerEnd - $started).TotalSeconds; Count = [long]$f[0]; PeakMB = ($memory | Measure-Object -Maximum).Maximum
        Expected = $total; OutOfSequence = [long]$f[1]; CpuSeconds = $cpu
        Cores = $cpu / ($readerEnd - $started).TotalSeconds; CpuMsPer1000 = 1e6 * $cpu / [math]::Max(1, [long]$f[0])
        BehindSeconds = ($readerEnd - $writerEnd).TotalSeconds; MemoryMB = $memory
        Backups = @(Get-ChildItem $dir -Filter 'audit-*.log').Count
    }
}
