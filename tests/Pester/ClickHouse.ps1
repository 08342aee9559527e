# A real ClickHouse server for the store tests: started on a free loopback port with a generated config (data, tmp and
# logs in a temp folder; HTTP only, no other port), stopped afterwards. Without the binary the tests are skipped.

function Get-ClickHouseServerCommand {
    foreach ($candidate in @('/usr/sbin/clickhouse-server', (Get-Command clickhouse-server -CommandType Application -ErrorAction SilentlyContinue).Source)) {
        if ($candidate -and (Test-Path $candidate)) { return , @($candidate) }
    }
    # Current releases: one binary, `clickhouse server`.
    $single = (Get-Command clickhouse -CommandType Application -ErrorAction SilentlyContinue).Source
    if ($single) { return , @($single, 'server') }
    $null
}

$script:ClickHouseMissing = -not (Get-ClickHouseServerCommand)
$script:ClickHouseSkipReason = 'clickhouse-server is not installed (.ci/run installs it; the store tests need a real server)'

function Get-FreeTcpPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# Starts a server; returns Uri, Root, Process, Port. Users: default (no password) and auditor / s3cret.
# -Root again (after Stop-TestClickHouse -KeepData) restarts a server on the same data.
# -TcpPort also opens the native protocol port (for clickhouse-client, in the benchmark).
function Start-TestClickHouse([int] $Port = (Get-FreeTcpPort), [string] $Root, [int] $TcpPort) {
    $command = Get-ClickHouseServerCommand
    $root = if ($Root) { $Root } else { Join-Path ([IO.Path]::GetTempPath()) ("kubeaudit-ch-" + [guid]::NewGuid().ToString('N')) }
    foreach ($d in 'data', 'tmp', 'log', 'user_files', 'format_schemas') { $null = New-Item -ItemType Directory -Force (Join-Path $root $d) }
    @"
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$root/log/server.log</log><errorlog>$root/log/error.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$Port</http_port>
  $(if ($TcpPort) { "<tcp_port>$TcpPort</tcp_port>" })
  <path>$root/data/</path>
  <tmp_path>$root/tmp/</tmp_path>
  <user_files_path>$root/user_files/</user_files_path>
  <format_schema_path>$root/format_schemas/</format_schema_path>
  <users_config>$root/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
</yandex>
"@ | Set-Content -LiteralPath (Join-Path $root 'config.xml')
    @'
<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default>
    <auditor><password>s3cret</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></auditor>
  </users>
  <quotas><default></default></quotas>
</yandex>
'@ | Set-Content -LiteralPath (Join-Path $root 'users.xml')
    $info = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in @($command | Select-Object -Skip 1) + "--config-file=$root/config.xml") { $info.ArgumentList.Add($a) }
    $info.WorkingDirectory = $root
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($info)
    $uri = "http://127.0.0.1:$Port"
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ($process.HasExited) { throw "clickhouse-server exited at start: $(Get-Content -Raw -LiteralPath "$root/log/error.log" -ErrorAction SilentlyContinue)" }
        try { if ((Invoke-RestMethod "$uri/ping" -TimeoutSec 2) -match 'Ok') { break } } catch { Start-Sleep -Milliseconds 200 }
    }
    [pscustomobject]@{ Uri = $uri; Root = $root; Process = $process; Port = $Port }
}

function Stop-TestClickHouse($Server, [switch] $KeepData) {
    if (-not $Server) { return }
    if (-not $Server.Process.HasExited) {
        $Server.Process.Kill($true)
        $null = $Server.Process.WaitForExit(30000)
    }
    if (-not $KeepData) { Remove-Item -Recurse -Force -LiteralPath $Server.Root -ErrorAction SilentlyContinue }
}

# Runs one statement over HTTP as the default user and returns the answer's text.
function Invoke-ClickHouse($Server, [string] $Sql) {
    (Invoke-WebRequest -Uri "$($Server.Uri)/" -Method Post -Body $Sql -TimeoutSec 60).Content
}

# A deterministic audit log of $Count events with varied verbs, users (one with a quote), namespaces (with LIKE
# metacharacters), resources and subresources, codes and times one second apart from 2026-01-05 08:00:00Z.
function New-TestAuditLog([string] $Path, [int] $Count, [int] $Offset = 0) {
    $verbs = 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete'
    $users = 'system:serviceaccount:kube-system:replicaset-controller', 'alice@example.com', "o'brien", 'system:node:worker-1', 'Bob'
    $namespaces = 'default', 'kube-system', 'team_a', 'team%b', 'teamxa', $null
    $resources = @('pods', ''), @('pods', 'exec'), @('pods', 'log'), @('secrets', ''), @('deployments', 'status'), @('configmaps', '')
    $codes = 200, 201, 403, 404, 409, 500
    $start = [DateTimeOffset]::new(2026, 1, 5, 8, 0, 0, [TimeSpan]::Zero)
    $writer = [IO.StreamWriter]::new($Path, $false, [Text.UTF8Encoding]::new($false))
    try {
        for ($n = $Offset; $n -lt $Offset + $Count; $n++) {
            $verb = $verbs[$n % 7]; $user = $users[$n % 5]; $ns = $namespaces[$n % 6]; $res = $resources[$n % 6]; $code = $codes[$n % 11 % 6]
            $t = $start.AddSeconds($n).AddTicks(($n % 1000) * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", [cultureinfo]::InvariantCulture)
            $nsPart = if ($null -ne $ns) { ",`"namespace`":`"$ns`"" } else { '' }
            $sub = if ($res[1]) { ",`"subresource`":`"$($res[1])`"" } else { '' }
            $id = '{0:x8}-0000-4000-8000-{1:x12}' -f $n, $n
            $writer.Write("{`"kind`":`"Event`",`"apiVersion`":`"audit.k8s.io/v1`",`"level`":`"Metadata`",`"auditID`":`"$id`",`"stage`":`"ResponseComplete`",`"requestURI`":`"/api/v1/$($res[0])`",`"verb`":`"$verb`",`"user`":{`"username`":`"$user`",`"groups`":[`"system:authenticated`",`"group-$($n % 3)`"]},`"sourceIPs`":[`"10.0.0.$($n % 250)`"],`"userAgent`":`"kubectl/v1.30`",`"objectRef`":{`"resource`":`"$($res[0])`"$nsPart,`"name`":`"obj-$($n % 97)`",`"apiVersion`":`"v1`"$sub},`"responseStatus`":{`"metadata`":{},`"code`":$code},`"requestReceivedTimestamp`":`"$t`",`"stageTimestamp`":`"$t`"}`n")
        }
    }
    finally { $writer.Dispose() }
}
