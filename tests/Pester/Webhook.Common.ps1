# Helpers for the Receive-KubeAuditEvent tests: a throwaway PKI (openssl), kube-apiserver-like EventList
# batches, and an HTTPS client that checks the server against the test CA and can present a client certificate.

function New-WebhookTestPki {
    param([Parameter(Mandatory)][string] $Folder)
    $null = New-Item -ItemType Directory -Force $Folder
    Push-Location $Folder
    try {
        $ext = Join-Path $Folder 'san.ext'
        Set-Content $ext "subjectAltName=IP:127.0.0.1,DNS:localhost`nextendedKeyUsage=serverAuth,clientAuth"
        foreach ($ca in 'ca', 'other-ca') {
            & openssl req -x509 -newkey rsa:2048 -nodes -keyout "$ca.key" -out "$ca.crt" -days 2 -subj "/CN=$ca" 2>$null
        }
        foreach ($pair in @(('server', 'ca'), ('client', 'ca'), ('stranger', 'other-ca'))) {
            $name, $ca = $pair
            & openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$name" 2>$null
            & openssl x509 -req -in "$name.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -out "$name.crt" -days 2 -extfile $ext 2>$null
        }
        if (-not (Test-Path server.crt)) { throw 'openssl did not make the test certificates.' }
    } finally { Pop-Location }
    [pscustomobject]@{
        Folder = $Folder; Ca = "$Folder/ca.crt"; ServerCert = "$Folder/server.crt"; ServerKey = "$Folder/server.key"
        ClientCert = "$Folder/client.crt"; ClientKey = "$Folder/client.key"; StrangerCert = "$Folder/stranger.crt"; StrangerKey = "$Folder/stranger.key"
    }
}

function Get-FreeTcpPort {
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop(); $port
}

# What kube-apiserver POSTs: an EventList whose items carry no kind/apiVersion.
function New-WebhookEventList {
    param([int] $Start = 0, [int] $Count = 400, [string] $Tag = 'b')
    $items = for ($i = $Start; $i -lt $Start + $Count; $i++) {
        '{"level":"Metadata","auditID":"' + $Tag + '-' + $i + '","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods/p' + $i +
        '","verb":"get","user":{"username":"user-' + ($i % 3) + '","groups":["system:authenticated"]},"sourceIPs":["10.0.0.1"],"userAgent":"kubectl",' +
        '"objectRef":{"resource":"pods","namespace":"default","name":"p' + $i + '","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},' +
        '"requestReceivedTimestamp":"2026-12-06T10:00:00.000000Z","stageTimestamp":"2026-12-06T10:00:00.001000Z"}'
    }
    '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[' + ($items -join ',') + ']}'
}

function New-WebhookClient {
    param([Parameter(Mandatory)] $Pki, [string] $CertPath, [string] $KeyPath)
    $ssl = [System.Net.Security.SslClientAuthenticationOptions]::new()
    $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
    $policy.TrustMode = 'CustomRootTrust'
    $policy.RevocationMode = 'NoCheck'
    $null = $policy.CustomTrustStore.Add([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Pki.Ca))
    $ssl.CertificateChainPolicy = $policy
    if ($CertPath) {
        $pem = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($CertPath, $KeyPath)
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pem.Export('Pkcs12'))
        $ssl.ClientCertificates = [System.Security.Cryptography.X509Certificates.X509CertificateCollection]::new()
        $null = $ssl.ClientCertificates.Add($cert)
    }
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.SslOptions = $ssl
    [System.Net.Http.HttpClient]::new($handler)
}

function Send-WebhookBody {
    param($Client, [string] $Url, [string] $Body, [string] $ContentType = 'application/json', [string] $Token)
    $content = [System.Net.Http.StringContent]::new($Body, [System.Text.Encoding]::UTF8)
    $content.Headers.ContentType = [System.Net.Http.Headers.MediaTypeHeaderValue]::Parse($ContentType)
    $request = [System.Net.Http.HttpRequestMessage]::new('Post', $Url)
    $request.Content = $content
    if ($Token) { $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $Token) }
    $response = $Client.SendAsync($request).GetAwaiter().GetResult()
    [int]$response.StatusCode
}

# Waits until something listens on the port (the receiver started in another thread or process).
function Wait-WebhookListening {
    param([int] $Port, [int] $TimeoutSeconds = 20)
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        $c = [System.Net.Sockets.TcpClient]::new()
        try { $c.Connect('127.0.0.1', $Port); return } catch { Start-Sleep -Milliseconds 100 } finally { $c.Dispose() }
    }
    throw "Nothing listens on port $Port after $TimeoutSeconds s."
}

# Runs Receive-KubeAuditEvent in its own runspace; events and ErrorRecords land in .Results in pipeline order.
function Start-TestReceiver {
    param([Parameter(Mandatory)][hashtable] $Parameters, [int] $DelayMs = 0)
    $results = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($Module, $Parameters, $Results, $DelayMs)
            Import-Module $Module
            Receive-KubeAuditEvent @Parameters 2>&1 | ForEach-Object {
                if ($DelayMs) { Start-Sleep -Milliseconds $DelayMs }
                $Results.Enqueue($_)
            }
        }).AddArgument($script:ModuleManifest).AddArgument($Parameters).AddArgument($results).AddArgument($DelayMs)
    $handle = $ps.BeginInvoke()
    [pscustomobject]@{ PowerShell = $ps; Handle = $handle; Results = $results; Port = $Parameters.Port }
}

# Waits for the receiver to end by itself (-Count/-Duration); returns what it wrote.
function Wait-TestReceiver {
    param([Parameter(Mandatory)] $Receiver, [int] $TimeoutSeconds = 60)
    $done = $Receiver.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))
    if (-not $done) { $Receiver.PowerShell.Stop() }
    $failure = $Receiver.PowerShell.Streams.Error | Select-Object -First 1
    $Receiver.PowerShell.Dispose()
    if (-not $done) { throw "The receiver did not stop by itself within $TimeoutSeconds s." }
    if ($failure) { throw "The receiver failed: $failure" }
    , @($Receiver.Results.ToArray())
}

function Test-PortFree([int] $Port) {
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $Port)
    try { $l.Start(); $true } catch { $false } finally { $l.Stop() }
}
