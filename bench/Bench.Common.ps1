# Shared by Invoke-Benchmark.ps1 and Compare-Baseline.ps1 (dot-sourced after $root, $work and $Seed are set):
# the generated logs and the fresh-session runner every PowerShell row is timed with.

Invoke-Native dotnet build (Join-Path $root 'tools/KubeAudit.LogGenerator') -c Release --nologo -v quiet
$generator = Join-Path $root 'tools/KubeAudit.LogGenerator/bin/Release/net10.0/KubeAudit.LogGenerator.dll'
$pwshDll = Join-Path $PSHOME 'pwsh.dll'

function Get-Log([int] $Count) {
    $path = Join-Path $work "audit-$Count-$Seed.log"
    if (-not (Test-Path $path)) { Invoke-Native dotnet $generator --count $Count --seed $Seed --out $path }
    $path
}

function Measure-Pwsh([string] $Command, [string] $Log, [string] $Module = $psd1) {
    # One fresh session per row; the module is imported before the clock starts.
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$Module'
`$log = '$Log'
[GC]::Collect()
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$n = $Command
`$s = `$sw.Elapsed.TotalSeconds
`$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
"RESULT {0} {1} {2}" -f `$s.ToString([cultureinfo]::InvariantCulture), `$n, `$peak
"@
    $out = & dotnet $pwshDll -NoProfile -NonInteractive -Command $script
    $line = $out | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
    if (-not $line) { throw "No result from: $Command`n$($out -join "`n")" }
    $parts = $line.Split(' ')
    [pscustomobject]@{ Seconds = [double]::Parse($parts[1], [cultureinfo]::InvariantCulture); Count = [long]$parts[2]; PeakMB = [math]::Round([long]$parts[3] / 1MB) }
}
