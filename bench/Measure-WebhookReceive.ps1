#requires -Version 7.4
<#
.SYNOPSIS
    Receive-KubeAuditEvent's bench row: sustained events/s into Measure-Object from a local HTTPS client that
    POSTs the log's events in EventList batches (as kube-apiserver does, retrying 503s), and the working set
    sampled over the run. Runs in its own pwsh; prints one RESULT line.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Log,
    [int] $Seconds = 60,
    [int] $BatchSize = 400
)
$ErrorActionPreference = 'Stop'
$psd1 = Join-Path $ModulePath 'KubeAudit.psd1'
$script = @'
param([string] $Psd1, [string] $Log, [int] $Seconds, [int] $BatchSize)
$ErrorActionPreference = 'Stop'
Import-Module $Psd1
# A throwaway self-signed server certificate; the client trusts exactly it.
$rsa = [System.Security.Cryptography.RSA]::Create(2048)
$req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=127.0.0.1', $rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
$san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new(); $san.AddIpAddress([Net.IPAddress]::Loopback)
$req.CertificateExtensions.Add($san.Build())
$cert = $req.CreateSelfSigned([DateTimeOffset]::Now.AddDays(-1), [DateTimeOffset]::Now.AddDays(1))
$pfx = Join-Path ([IO.Path]::GetTempPath()) "kubeaudit-bench-$PID.pfx"
[IO.File]::WriteAllBytes($pfx, $cert.Export('Pkcs12'))
# The batches, built once: the client must not be what is measured.
$lines = [IO.File]::ReadAllLines($Log)
$bodies = for ($i = 0; $i -lt $lines.Count; $i += $BatchSize) {
    # The comma keeps each byte[] whole; the pipeline would unroll it into single bytes.
    , [Text.Encoding]::UTF8.GetBytes('{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[' + ($lines[$i..([math]::Min($i + $BatchSize, $lines.Count) - 1)] -join ',') + ']}')
}
$l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
$samples = [System.Collections.Concurrent.ConcurrentQueue[long]]::new()
$client = Start-ThreadJob -ArgumentList $port, $bodies, $cert, $Seconds, $samples {
    param($port, $bodies, $cert, $seconds, $samples)
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
    $policy.TrustMode = 'CustomRootTrust'; $policy.RevocationMode = 'NoCheck'
    $null = $policy.CustomTrustStore.Add([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($cert.RawData))
    $handler.SslOptions.CertificateChainPolicy = $policy
    $http = [System.Net.Http.HttpClient]::new($handler)
    $http.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', 'bench-token')
    $deadline = [DateTime]::UtcNow.AddSeconds($seconds + 5)
    $next = [DateTime]::UtcNow.AddSeconds(5)
    while ($true) { try { $c = [Net.Sockets.TcpClient]::new('127.0.0.1', $port); $c.Dispose(); break } catch { Start-Sleep -Milliseconds 50 } }
    $sent = 0; $retried = 0
    while ([DateTime]::UtcNow -lt $deadline) {
        foreach ($body in $bodies) {
            do {
                $content = [System.Net.Http.ByteArrayContent]::new($body)
                $content.Headers.ContentType = [System.Net.Http.Headers.MediaTypeHeaderValue]::new('application/json')
                try { $status = [int]$http.PostAsync("https://127.0.0.1:$port/", $content).GetAwaiter().GetResult().StatusCode } catch { return "sent=$sent retried=$retried" }
                if ($status -eq 503) { $retried++; Start-Sleep -Milliseconds 5 }
            } while ($status -eq 503)
            $sent++
            if ([DateTime]::UtcNow -ge $next) { $samples.Enqueue([Diagnostics.Process]::GetCurrentProcess().WorkingSet64); $next = $next.AddSeconds(5) }
            if ([DateTime]::UtcNow -ge $deadline) { break }
        }
    }
    "sent=$sent retried=$retried"
}
$token = ConvertTo-SecureString 'bench-token' -AsPlainText -Force
[GC]::Collect()
$sw = [Diagnostics.Stopwatch]::StartNew()
$first = $null
# Clock from the first event, so connecting and JIT are not counted as idle time.
$n = (Receive-KubeAuditEvent -ErrorAction Continue -Port $port -CertificatePath $pfx -BearerToken $token -Duration ([timespan]::FromSeconds($Seconds + 2)) -ProgressAction SilentlyContinue |
        ForEach-Object -Begin { } -Process { if (-not $first) { $first = $sw.Elapsed.TotalSeconds }; $_ } | Measure-Object).Count
$s = $sw.Elapsed.TotalSeconds - $first
$clientSays = Receive-Job $client -Wait -AutoRemoveJob
Remove-Item $pfx
$mem = @($samples.ToArray() | ForEach-Object { [math]::Round($_ / 1MB) })
"RESULT {0} {1} {2} {3} {4}" -f $s.ToString([cultureinfo]::InvariantCulture), $n, ($mem -join ','), $clientSays, ([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64)
'@
$file = Join-Path ([IO.Path]::GetTempPath()) "kubeaudit-bench-webhook-$PID.ps1"
Set-Content $file $script
try {
    $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $file -Psd1 $psd1 -Log $Log -Seconds $Seconds -BatchSize $BatchSize
} finally { Remove-Item $file -ErrorAction SilentlyContinue }
$line = $out | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
if (-not $line) { throw "No result from the webhook bench:`n$($out -join "`n")" }
$parts = $line.Split(' ')
$mem = @($parts[3].Split(',') | Where-Object { $_ } | ForEach-Object { [long]$_ })
[pscustomobject]@{
    Seconds = [double]::Parse($parts[1], [cultureinfo]::InvariantCulture); Count = [long]$parts[2]
    PeakMB = [math]::Round([long]$parts[6] / 1MB); MemoryMB = $mem; Client = "$($parts[4]) $($parts[5])"
}
