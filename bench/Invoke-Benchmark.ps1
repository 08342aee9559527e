#requires -Version 7.4
<#
.SYNOPSIS
    KubeAudit's benchmark: our commands side by side with jq, ConvertFrom-Json, a bare Utf8JsonReader
    pass and (where node is present) DuckDB, on the same generated log in the same run, as ratios.
.DESCRIPTION
    Each PowerShell row runs in a fresh pwsh with the module imported and times the command as a user
    meets it at a prompt: the first call, JIT included. External tools are timed as whole processes.
    Called by build.ps1 -Task Bench after a build; not part of CI.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Events = 400000,
    [int] $Seed = 42,
    [switch] $SkipConvertFromJson
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
$work = Join-Path $PSScriptRoot '.work'
$null = New-Item -ItemType Directory -Force $work
. (Join-Path $root 'tools/BuildHelpers.ps1')

# --- inputs, made by the project's generator; the runner ---------------------------------------
$psd1 = Join-Path $ModulePath 'KubeAudit.psd1'
. (Join-Path $PSScriptRoot 'Bench.Common.ps1')
Invoke-Native dotnet build (Join-Path $PSScriptRoot 'KubeAudit.Bench') -c Release --nologo -v quiet
$benchTool = Join-Path $PSScriptRoot 'KubeAudit.Bench/bin/Release/net10.0/KubeAudit.Bench.dll'
$big = Get-Log $Events
$small = Get-Log ([int]($Events / 10))
$sizeMB = [math]::Round((Get-Item $big).Length / 1MB)
Write-Host "Log: $big ($Events events, $sizeMB MB)"

# --- runners ----------------------------------------------------------------------------------
function Measure-Process([string] $Command) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = bash -c $Command
    if ($LASTEXITCODE -ne 0) { throw "'$Command' failed" }
    [pscustomobject]@{ Seconds = $sw.Elapsed.TotalSeconds; Count = [long](($out | Select-Object -Last 1).Trim()); PeakMB = $null }
}

$rows = [System.Collections.Generic.List[object]]::new()
function Add-Row([string] $Name, $Result) {
    $rows.Add([pscustomobject]@{ Name = $Name; Seconds = [math]::Round($Result.Seconds, 3); Count = $Result.Count; PeakMB = $Result.PeakMB })
    Write-Host ("{0,-62} {1,8:N3} s  {2,8} events" -f $Name, $Result.Seconds, $Result.Count)
}

# --- rows -------------------------------------------------------------------------------------
Add-Row 'jq select(.verb=="create") | wc -l' (Measure-Process "jq -c 'select(.verb==""create"")' '$big' | wc -l")
Add-Row 'Get-KubeAuditEvent | Where-Object Verb -eq create | Measure' (Measure-Pwsh '(Get-KubeAuditEvent -Path $log | Where-Object Verb -eq create | Measure-Object).Count' $big)
Add-Row 'Get-KubeAuditEvent -Verb create | Measure' (Measure-Pwsh '(Get-KubeAuditEvent -Path $log -Verb create | Measure-Object).Count' $big)
$floor = & dotnet $benchTool floor $big
Add-Row 'Utf8JsonReader bare pass, one thread (floor)' ([pscustomobject]@{ Seconds = [double]::Parse($floor.Split(' ')[0], [cultureinfo]::InvariantCulture); Count = [long]$floor.Split(' ')[1]; PeakMB = $null })
if (-not $SkipConvertFromJson) {
    Add-Row 'Get-Content | ConvertFrom-Json | Where-Object verb -eq create' (Measure-Pwsh '(Get-Content -Path $log | ConvertFrom-Json | Where-Object verb -eq create | Measure-Object).Count' $big)
}
$duck = Get-DuckDbRow -Work $work -Log $big
if ($duck) { Add-Row 'DuckDB read_json count(*) where verb=create (node)' $duck }
$memBig = Measure-Pwsh '(Get-KubeAuditEvent -Path $log | Measure-Object).Count' $big
$memSmall = Measure-Pwsh '(Get-KubeAuditEvent -Path $log | Measure-Object).Count' $small
Add-Row "Get-KubeAuditEvent | Measure ($Events events, peak $($memBig.PeakMB) MB)" $memBig
Add-Row "Get-KubeAuditEvent | Measure ($($Events / 10) events, peak $($memSmall.PeakMB) MB)" $memSmall
# Detections: every built-in rule over the same log; Count is findings, so the ratio uses the event count.
$threat = Measure-Pwsh '(Find-KubeAuditThreat -Path $log -WarningAction SilentlyContinue | Measure-Object).Count' $big
Add-Row "Find-KubeAuditThreat | Measure (built-in rules, $($threat.Count) findings)" $threat
# RBAC generation for the busiest subject of the generated log, against reading that subject's events, same run.
$rbacUser = 'system:anonymous'
$userRead = Measure-Pwsh "(Get-KubeAuditEvent -Path `$log -User $rbacUser | Measure-Object).Count" $big
Add-Row "Get-KubeAuditEvent -User $rbacUser | Measure" $userRead
$rbacGen = Measure-Pwsh "@(New-KubeAuditRbacPolicy -Path `$log -User $rbacUser -WarningAction SilentlyContinue).Count" $big
Add-Row "New-KubeAuditRbacPolicy -User $rbacUser" $rbacGen
# --- issue 16 rows: pipeline against PowerShell's floor, first answer, compressed history, busy API server ---
. (Join-Path $PSScriptRoot 'Perf.Rows.ps1')
$listFloor = Measure-PipelineFloor $big
Add-Row '$events (List, 400k in memory) | Where-Object Verb -eq create | Measure' $listFloor
$sample = Join-Path $root 'samples/audit.log'
$jqSample = Measure-ProcessMedian "jq -c 'select(.verb==""create"")' '$sample' | wc -l"
Add-Row 'jq select(.verb=="create") samples/audit.log, whole process (median of 5)' $jqSample
$firstAnswer = Measure-FirstAnswer $sample
Add-Row 'Import-Module + first Get-KubeAuditEvent samples/audit.log | Where-Object (median of 5)' $firstAnswer
$firstAnswerWarm = Measure-FirstAnswer $sample -Warm ('$null = Get-Content ''{0}'' | Where-Object Length -gt 0 | Measure-Object' -f $sample)
Add-Row 'the same in a host that has run a Where-Object | Measure-Object pipeline (median of 5)' $firstAnswerWarm
$history = New-RotatedFolder $Events
$backups = @(Get-ChildItem $history -Filter 'audit-*.log.gz' | Sort-Object Name | ForEach-Object FullName)
$live = Join-Path $history 'audit.log'
$jqHistory = Measure-Process "{ zcat $($backups -join ' '); cat '$live'; } | jq -c 'select(.verb==""create"")' | wc -l"
Add-Row 'zcat 9 backups + live file | jq select(.verb=="create") | wc -l' $jqHistory
$ourHistory = Measure-Pwsh '(Get-KubeAuditEvent -Path $log -Verb create | Measure-Object).Count' $history
Add-Row 'Get-KubeAuditEvent -Path <rotated folder, 9 .gz + live> -Verb create | Measure' $ourHistory
$duckHistory = Get-DuckDbFilesRow (@($backups) + $live)
if ($duckHistory) { Add-Row 'history: DuckDB read_json(9 .gz + live) count(*) where verb=create (node)' $duckHistory }
$follow = Measure-Follow
Add-Row ("Get-KubeAuditEvent -Follow, writer 20k ev/s 30 s, rotate 100 MB ({0} rotations, WS MB {1})" -f $follow.Backups, ($follow.MemoryMB -join '/')) $follow
# --- end of issue 16 rows ---
# Evaluation alone: events parsed first, then each resolved with LevelResolver under the sample policy.
$policyRun = (& dotnet $benchTool policy $big (Join-Path $root 'samples/audit-policy.yaml')).Split(' ')
$policyRow = [pscustomobject]@{ Seconds = [double]::Parse($policyRun[0], [cultureinfo]::InvariantCulture); Count = [long]$policyRun[1]; PeakMB = $null }
Add-Row 'LevelResolver.Resolve every parsed event (core, samples/audit-policy.yaml)' $policyRow
# Policy checking (read, validate, lint) of generated policies: growth from 1k to 100k rules shows whether it stays near linear.
$validateRows = foreach ($n in 1000, 100000) {
    $run = (& dotnet $benchTool validate $n).Split(' ')
    $row = [pscustomobject]@{ Seconds = [double]::Parse($run[0], [cultureinfo]::InvariantCulture); Count = [long]$run[1]; PeakMB = $null }
    Add-Row "PolicyChecker.CheckText, generated policy of $n rules (core)" $row
    $row
}
# Receive-KubeAuditEvent (issue 18): 400-event EventList batches over HTTPS from a local client into Measure-Object,
# against Get-KubeAuditEvent reading the same events from the file, same run; working set sampled every 5 s.
$hookFile = Measure-Pwsh '(Get-KubeAuditEvent -Path $log | Measure-Object).Count' $small
Add-Row "Get-KubeAuditEvent | Measure ($($hookFile.Count) events, the webhook row's input)" $hookFile
$hook = & (Join-Path $PSScriptRoot 'Measure-WebhookReceive.ps1') -ModulePath $ModulePath -Log $small -Seconds 60
Add-Row "Receive-KubeAuditEvent | Measure (60 s, 400-event batches, MB: $($hook.MemoryMB -join ' '))" $hook

# Issue 15 (ECS): the same events written as read and as ECS documents; the ratio is the cost of the mapping.
$ecsOut = Join-Path ([IO.Path]::GetTempPath()) "kubeaudit-bench-$PID.ndjson"
$asRead = Measure-Pwsh "`$(Get-KubeAuditEvent -Path `$log | Export-KubeAuditEvent -Path '$ecsOut'; [Linq.Enumerable]::Count([IO.File]::ReadLines('$ecsOut')))" $big
Add-Row 'Get-KubeAuditEvent | Export-KubeAuditEvent (as read)' $asRead
$asEcs = Measure-Pwsh "`$(Get-KubeAuditEvent -Path `$log | Export-KubeAuditEvent -Path '$ecsOut' -Format Ecs; [Linq.Enumerable]::Count([IO.File]::ReadLines('$ecsOut')))" $big
Add-Row 'Get-KubeAuditEvent | Export-KubeAuditEvent -Format Ecs' $asEcs
Remove-Item -LiteralPath $ecsOut -ErrorAction SilentlyContinue

# --- central store: ClickHouse (issue 15; skipped without clickhouse-server and clickhouse-client) ---------------
# A server of its own on free loopback ports. Send-KubeAuditEvent reads and sends the log; clickhouse-client inserts
# the same rows (exported from the table as JSONEachRow) from a file. Then the push-down count against the client's.
. (Join-Path $root 'tests/Pester/ClickHouse.ps1')
$chChecks = $null
if ($ClickHouseMissing -or -not (Get-Command clickhouse-client -CommandType Application -ErrorAction SilentlyContinue)) {
    Write-Host "ClickHouse rows skipped: $ClickHouseSkipReason (and clickhouse-client)"
}
else {
    $chTcp = Get-FreeTcpPort
    $ch = Start-TestClickHouse -TcpPort $chTcp
    $chRowsFile = Join-Path $work 'clickhouse-rows.json'
    try {
        $chSend = Measure-Pwsh "(Send-KubeAuditEvent -Path `$log -Uri '$($ch.Uri)' -Engine ClickHouse -Table bench.send -CreateTable).Sent" $big
        Add-Row "Send-KubeAuditEvent -Engine ClickHouse ($Events events)" $chSend
        Invoke-WebRequest -Uri "$($ch.Uri)/" -Method Post -Body 'SELECT * FROM bench.send FORMAT JSONEachRow' -OutFile $chRowsFile -TimeoutSec 600
        $null = Invoke-ClickHouse $ch 'CREATE TABLE bench.client AS bench.send'
        $chClient = Measure-Process "clickhouse-client --port $chTcp --query 'INSERT INTO bench.client FORMAT JSONEachRow' < '$chRowsFile' && clickhouse-client --port $chTcp --query 'SELECT count() FROM bench.client'"
        Add-Row 'clickhouse-client INSERT FORMAT JSONEachRow, same rows from a file' $chClient
        $chCount = Measure-Pwsh "Get-KubeAuditEvent -Uri '$($ch.Uri)' -Engine ClickHouse -Table bench.send -Verb create -Count" $big
        Add-Row 'Get-KubeAuditEvent -Uri -Engine ClickHouse -Verb create -Count' $chCount
        $chClientCount = Measure-Process "clickhouse-client --port $chTcp --query ""SELECT count() FROM bench.send FINAL WHERE verb = 'create'"""
        Add-Row "clickhouse-client SELECT count() FINAL WHERE verb = 'create'" $chClientCount
        $chChecks = @{ Send = $chSend; Client = $chClient; Count = $chCount; ClientCount = $chClientCount }
    }
    finally {
        Stop-TestClickHouse $ch
        Remove-Item -LiteralPath $chRowsFile -ErrorAction SilentlyContinue
    }
}
# --- end central store -------------------------------------------------------------------------------------------

# --- ratios and targets ------------------------------------------------------------------------
$jq = $rows[0].Seconds
$where = $rows[1]; $verb = $rows[2]; $floorRow = $rows[3]
$checks = [System.Collections.Generic.List[object]]::new()
function Add-Check([string] $What, [double] $Value, [string] $Target, [bool] $Ok) {
    $checks.Add([pscustomobject]@{ Check = $What; Value = [math]::Round($Value, 3); Target = $Target; Met = $Ok })
}
Add-Check 'Where-Object pipeline / jq' ($where.Seconds / $jq) '<= 0.5' ($where.Seconds / $jq -le 0.5)
Add-Check '-Verb / jq' ($verb.Seconds / $jq) '<= 0.15' ($verb.Seconds / $jq -le 0.15)
Add-Check '-Verb / Utf8JsonReader floor' ($verb.Seconds / $floorRow.Seconds) '<= 2' ($verb.Seconds / $floorRow.Seconds -le 2)
$cfj = $rows | Where-Object Name -like 'Get-Content*'
if ($cfj) { Add-Check 'ConvertFrom-Json pipeline / Where-Object pipeline' ($cfj.Seconds / $where.Seconds) '>= 10' ($cfj.Seconds / $where.Seconds -ge 10) }
$duckRow = $rows | Where-Object Name -like 'DuckDB*'
if ($duckRow) {
    Add-Check 'DuckDB / jq' ($duckRow.Seconds / $jq) '(reference)' $true
    Add-Check '-Verb / DuckDB' ($verb.Seconds / $duckRow.Seconds) '< 1' ($verb.Seconds / $duckRow.Seconds -lt 1)
}
Add-Check "peak memory $Events / $($Events / 10) events" ($memBig.PeakMB / $memSmall.PeakMB) '<= 1.3' ($memBig.PeakMB / $memSmall.PeakMB -le 1.3)
$validateGrowth = $validateRows[1].Seconds / [math]::Max($validateRows[0].Seconds, 1e-9)
Add-Check 'policy check time, 100k / 1k rules' $validateGrowth '<= 120' ($validateGrowth -le 120)
$policyRate = $policyRow.Count / [math]::Max($policyRow.Seconds, 1e-9)
Add-Check 'policy evaluation, events/s' $policyRate '>= 1,000,000' ($policyRate -ge 1000000)
# Throughput = events / s; both rows read the same $Events events.
$threatRatio = $memBig.Seconds / [math]::Max($threat.Seconds, 1e-9)
Add-Check 'Find-KubeAuditThreat / Get-KubeAuditEvent throughput' $threatRatio '>= 0.5' ($threatRatio -ge 0.5)
$rbacRatio = $rbacGen.Seconds / [math]::Max($userRead.Seconds, 1e-9)
Add-Check 'New-KubeAuditRbacPolicy / Get-KubeAuditEvent -User time' $rbacRatio '<= 1.5' ($rbacRatio -le 1.5)
$hookRate = $hook.Count / [math]::Max($hook.Seconds, 1e-9)
$hookFileRate = $hookFile.Count / [math]::Max($hookFile.Seconds, 1e-9)
Add-Check 'Receive-KubeAuditEvent, events/s' $hookRate '>= 20,000' ($hookRate -ge 20000)
Add-Check 'Receive-KubeAuditEvent / Get-KubeAuditEvent (file) events/s' ($hookRate / $hookFileRate) '>= 0.5' ($hookRate / $hookFileRate -ge 0.5)
# Flat memory: the last sample against the one at 15 s (after warm-up).
$hookMem = @($hook.MemoryMB)
if ($hookMem.Count -ge 4) { Add-Check 'Receive-KubeAuditEvent working set, end / 15 s' ($hookMem[-1] / $hookMem[2]) '<= 1.2' ($hookMem[-1] / $hookMem[2] -le 1.2) }
# --- issue 16 checks ---
Add-Check 'Where-Object pipeline / same over a List in memory' ($where.Seconds / $listFloor.Seconds) '<= 1.5' ($where.Seconds / $listFloor.Seconds -le 1.5)
Add-Check 'first answer (import + first query) / jq process' ($firstAnswer.Seconds / $jqSample.Seconds) '<= 2.5' ($firstAnswer.Seconds / $jqSample.Seconds -le 2.5)
Add-Check 'first answer, host has run a pipeline / jq process' ($firstAnswerWarm.Seconds / $jqSample.Seconds) '(reference)' $true
Add-Check 'rotated .gz history -Verb / zcat | jq' ($ourHistory.Seconds / $jqHistory.Seconds) '<= 0.15' ($ourHistory.Seconds / $jqHistory.Seconds -le 0.15)
if ($duckHistory) { Add-Check 'rotated .gz history -Verb / DuckDB' ($ourHistory.Seconds / $duckHistory.Seconds) '< 1' ($ourHistory.Seconds / $duckHistory.Seconds -lt 1) }
$historyCounts = @($jqHistory.Count, $ourHistory.Count) + @($duckHistory | ForEach-Object Count)
Add-Check 'rotated history create counts equal jq' @($historyCounts | Sort-Object -Unique).Count '1 distinct' (@($historyCounts | Sort-Object -Unique).Count -eq 1)
Add-Check '-Follow: events seen / written (none lost)' ($follow.Count / $follow.Expected) '= 1' ($follow.Count -eq $follow.Expected)
Add-Check '-Follow: events out of sequence (repeated or lost)' $follow.OutOfSequence '= 0' ($follow.OutOfSequence -eq 0)
Add-Check '-Follow: behind the writer at its end, s' $follow.BehindSeconds '< 1' ($follow.BehindSeconds -lt 1)
Add-Check '-Follow: process CPU, cores (reader + consumer)' $follow.Cores '<= 0.3' ($follow.Cores -le 0.3)
Add-Check '-Follow: CPU ms per 1,000 events' $follow.CpuMsPer1000 '(reference)' $true
$followGrowth = if ($follow.MemoryMB.Count -ge 2) { $follow.MemoryMB[-1] / $follow.MemoryMB[0] } else { [double]::NaN }
Add-Check '-Follow: working set, last / first sample (every 100k events)' $followGrowth '<= 1.3' ($followGrowth -le 1.3)
# --- end of issue 16 checks ---
$counts = @($rows | Select-Object -First 6 | Where-Object { $_.Name -notlike '*| Measure (*' } | ForEach-Object Count | Sort-Object -Unique)
Add-Check 'create counts equal jq' $counts.Count '1 distinct' ($counts.Count -eq 1)

if ($chChecks) {
    # Throughput ratio: the client's time over ours for the same events (>= 0.5 means at least half its speed).
    $chSendRatio = $chChecks.Client.Seconds / [math]::Max($chChecks.Send.Seconds, 1e-9)
    Add-Check 'Send-KubeAuditEvent / clickhouse-client INSERT throughput' $chSendRatio '>= 0.5' ($chSendRatio -ge 0.5)
    $chCountRatio = $chChecks.Count.Seconds / [math]::Max($chChecks.ClientCount.Seconds, 1e-9)
    Add-Check 'push-down -Verb create -Count / clickhouse-client count' $chCountRatio '<= 2' ($chCountRatio -le 2)
    Add-Check 'ClickHouse: sent = inserted by client, counts equal' 0 'equal' ($chChecks.Send.Count -eq $chChecks.Client.Count -and $chChecks.Count.Count -eq $chChecks.ClientCount.Count -and $chChecks.Count.Count -eq $rows[0].Count)
}

Write-Host ''
$checks | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
$outDir = Join-Path $root 'out/bench'
$null = New-Item -ItemType Directory -Force $outDir
[pscustomobject]@{ Date = (Get-Date).ToString('o'); Events = $Events; SizeMB = $sizeMB; Rows = $rows; Checks = $checks } |
    ConvertTo-Json -Depth 5 | Set-Content (Join-Path $outDir 'results.json')
Write-Host "Results: $(Join-Path $outDir 'results.json')"
