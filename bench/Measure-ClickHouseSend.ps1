#requires -Version 7.4
<#
.SYNOPSIS
    The ClickHouse send row of the benchmark alone, with CPU times: Send-KubeAuditEvent -Engine ClickHouse of a log
    against clickhouse-client inserting the same rows (JSONEachRow, exported from the table) from a file, same run,
    own test server. Prints wall and CPU seconds of the sender, the client and the server for each, and the wall ratio.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Measure-ClickHouseSend.ps1 -Log bench/.work/audit-400000-42.log
#>
param([string] $Module = (Join-Path (Split-Path $PSScriptRoot) 'out/KubeAudit/KubeAudit.psd1'), [Parameter(Mandatory)] [string] $Log, [string] $Extra = '')
$ErrorActionPreference = 'Stop'
. (Join-Path (Split-Path $PSScriptRoot) 'tests/Pester/ClickHouse.ps1')
$tcp = Get-FreeTcpPort
$ch = Start-TestClickHouse -TcpPort $tcp
$rows = Join-Path ([IO.Path]::GetTempPath()) "kubeaudit-ch-rows-$PID.json"
try {
    $srv = $ch.Process
    $s0 = $srv.TotalProcessorTime
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$Module'
[GC]::Collect()
`$p = [Diagnostics.Process]::GetCurrentProcess(); `$c0 = `$p.TotalProcessorTime
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$n = (Send-KubeAuditEvent -Path '$Log' -Uri '$($ch.Uri)' -Engine ClickHouse -Table bench.send -CreateTable $Extra).Sent
`$s = `$sw.Elapsed.TotalSeconds; `$p.Refresh()
"RESULT {0:F3} {1} {2:F3} {3}" -f `$s, `$n, (`$p.TotalProcessorTime - `$c0).TotalSeconds, [math]::Round(`$p.PeakWorkingSet64 / 1MB)
"@
    $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script
    $srv.Refresh(); $s1 = $srv.TotalProcessorTime
    $r = ($out | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1).Split(' ')
    if (-not $r) { throw ($out -join "`n") }
    Invoke-WebRequest -Uri "$($ch.Uri)/" -Method Post -Body 'SELECT * FROM bench.send FORMAT JSONEachRow' -OutFile $rows -TimeoutSec 600
    $null = Invoke-ClickHouse $ch 'CREATE TABLE bench.client AS bench.send'
    $srv.Refresh(); $s2 = $srv.TotalProcessorTime
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $t = bash -c "/usr/bin/time -f '%U %S' clickhouse-client --port $tcp --query 'INSERT INTO bench.client FORMAT JSONEachRow' < '$rows' 2>&1 >/dev/null; clickhouse-client --port $tcp --query 'SELECT count() FROM bench.client'"
    $cw = $sw.Elapsed.TotalSeconds
    $srv.Refresh(); $s3 = $srv.TotalProcessorTime
    $cpuC = ($t[0].Split(' ') | ForEach-Object { [double]$_ } | Measure-Object -Sum).Sum
    $send = [double]$r[1]
    "send:   wall {0:F2}s  sender cpu {1:F2}s  server cpu {2:F2}s  sent {3}  peak {4} MB" -f $send, [double]$r[3], ($s1 - $s0).TotalSeconds, $r[2], $r[4]
    "client: wall {0:F2}s  client cpu {1:F2}s  server cpu {2:F2}s  count {3}" -f $cw, $cpuC, ($s3 - $s2).TotalSeconds, $t[-1]
    "ratio (client wall / send wall): {0:F3}   rows file {1:N0} MB" -f ($cw / $send), ((Get-Item $rows).Length / 1MB)
    "load: $(Get-Content /proc/loadavg)"
}
finally { Stop-TestClickHouse $ch; Remove-Item $rows -ErrorAction SilentlyContinue }
