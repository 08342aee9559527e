#requires -Version 7.4
<#
.SYNOPSIS
    Times the reading commands of two builds of KubeAudit side by side in one run: a baseline (a git ref, built
    in a temporary worktree, or a built module folder) and this build; reports after/before ratios.
.DESCRIPTION
    For refactors that must not slow reading down. Each row runs in a fresh pwsh per build, as Invoke-Benchmark.ps1
    does; the two builds alternate within each round (the order flips every round, so drift falls on both), and
    each build's median over the rounds is compared. Called by build.ps1 -Task Bench -Baseline <ref>; not in CI.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench -Baseline main~3
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $BaselineRef,
    [string] $BaselineModulePath,
    [int] $Events = 400000,
    [int] $Seed = 42,
    [int] $Rounds = 9,
    # Only the rows whose names match these wildcards (all when not given).
    [string[]] $Only,
    # The largest after/before ratio of a row's medians that counts as no regression (run-to-run noise is a few %).
    [double] $Tolerance = 1.05
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
$work = Join-Path $PSScriptRoot '.work'
$null = New-Item -ItemType Directory -Force $work
. (Join-Path $root 'tools/BuildHelpers.ps1')
. (Join-Path $PSScriptRoot 'Bench.Common.ps1')

$tree = $null
if ($BaselineRef) {
    # The baseline builds from its own sources, in a detached worktree that is removed afterwards.
    $tree = Join-Path ([IO.Path]::GetTempPath()) "kubeaudit-baseline-$PID"
    Invoke-Native git -C $root worktree add --detach --force $tree $BaselineRef
    Invoke-Native dotnet pwsh -NoProfile (Join-Path $tree 'build.ps1') -Task Build
    $BaselineModulePath = Join-Path $tree 'out/KubeAudit'
}
if (-not $BaselineModulePath) { throw 'Give -BaselineRef or -BaselineModulePath.' }

try {
    $log = Get-Log $Events
    $builds = [ordered]@{
        before = Join-Path $BaselineModulePath 'KubeAudit.psd1'
        after = Join-Path $ModulePath 'KubeAudit.psd1'
    }
    $rows = [ordered]@{
        'Get-KubeAuditEvent | Where-Object Verb -eq create' = '(Get-KubeAuditEvent -Path $log | Where-Object Verb -eq create | Measure-Object).Count'
        'Get-KubeAuditEvent -Verb create' = '(Get-KubeAuditEvent -Path $log -Verb create | Measure-Object).Count'
        'Get-KubeAuditEvent -Tail 100000 -Verb create' = '(Get-KubeAuditEvent -Path $log -Tail 100000 -Verb create | Measure-Object).Count'
        'Find-KubeAuditThreat' = '(Find-KubeAuditThreat -Path $log -WarningAction SilentlyContinue | Measure-Object).Count'
        'New-KubeAuditRbacPolicy -User system:anonymous' = '@(New-KubeAuditRbacPolicy -Path $log -User system:anonymous -WarningAction SilentlyContinue).Count'
    }
    if ($Only) { foreach ($name in @($rows.Keys)) { if (-not ($Only | Where-Object { $name -like $_ })) { $rows.Remove($name) } } }
    Write-Host "Log: $log ($Events events); $Rounds rounds; before = $($builds.before)"
    $times = @{}
    foreach ($round in 1..$Rounds) {
        $order = if ($round % 2) { 'before', 'after' } else { 'after', 'before' }
        foreach ($row in $rows.Keys) {
            foreach ($build in $order) {
                $r = Measure-Pwsh $rows[$row] $log $builds[$build]
                $times["$row|$build"] += , $r
                Write-Host ("round {0} {1,-6} {2,-50} {3,7:N3} s {4,8}" -f $round, $build, $row, $r.Seconds, $r.Count)
            }
        }
    }

    $report = foreach ($row in $rows.Keys) {
        $median = @{}
        foreach ($build in $builds.Keys) {
            $sorted = @($times["$row|$build"] | Sort-Object Seconds)
            $median[$build] = $sorted[[int][math]::Floor($sorted.Count / 2)]
        }
        if ($median.before.Count -ne $median.after.Count) { throw "$row counts differ: before $($median.before.Count), after $($median.after.Count)." }
        $ratio = $median.after.Seconds / $median.before.Seconds
        [pscustomobject]@{ Row = $row; Before = [math]::Round($median.before.Seconds, 3); After = [math]::Round($median.after.Seconds, 3); Ratio = [math]::Round($ratio, 3); Count = $median.after.Count; NoRegression = $ratio -le $Tolerance }
    }
    $report | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host ("{0} of {1} rows within {2} of the baseline" -f @($report | Where-Object NoRegression).Count, @($report).Count, $Tolerance)
    $report
}
finally {
    if ($tree) { Invoke-Native git -C $root worktree remove --force $tree }
}
