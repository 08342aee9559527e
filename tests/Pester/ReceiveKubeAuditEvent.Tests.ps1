# Receive-KubeAuditEvent against a real HTTPS client that posts EventList batches as kube-apiserver's webhook
# backend does (TLS, client certificate or bearer token, application/json). No kube-apiserver runs here.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/Webhook.Common.ps1
    Import-KubeAudit
    $script:Pki = New-WebhookTestPki -Folder (Join-Path $TestDrive 'pki')
    $script:Https = @{ CertificatePath = $Pki.ServerCert; KeyPath = $Pki.ServerKey }
    $script:Token = ConvertTo-SecureString 'test-token-1234' -AsPlainText -Force
}

Describe 'Receive-KubeAuditEvent over HTTPS' {
    It 'writes 2,000 events posted in 400-event batches as 2,000 objects, in batch order, naming the peer' {
        $port = Get-FreeTcpPort
        $receiver = Start-TestReceiver (@{ Port = $port; ClientCaPath = $Pki.Ca; Count = 2000; Duration = [timespan]'00:01:00' } + $Https)
        Wait-WebhookListening $port
        $client = New-WebhookClient -Pki $Pki -CertPath $Pki.ClientCert -KeyPath $Pki.ClientKey
        $codes = for ($b = 0; $b -lt 5; $b++) { Send-WebhookBody $client "https://127.0.0.1:$port/k8s-audit" (New-WebhookEventList -Start ($b * 400) -Count 400) }
        $out = Wait-TestReceiver $receiver
        $codes | Should -Be @(200, 200, 200, 200, 200)
        $out.Count | Should -Be 2000
        @($out | Where-Object { $_ -isnot [KubeAudit.AuditEvent] }).Count | Should -Be 0
        ($out.AuditId -join ',') | Should -BeExactly ((0..1999 | ForEach-Object { "b-$_" }) -join ',')
        $out[0].File | Should -Match '^webhook://127\.0\.0\.1:\d+$'
        @($out[0..399].Line) | Should -Be @(1..400)
        $out[400].Line | Should -Be 1
        $out[5].ObjectRef.Name | Should -Be 'p5'
    }

    It 'accepts a bearer token, and applies the filter before anything is queued' {
        $port = Get-FreeTcpPort
        $receiver = Start-TestReceiver (@{ Port = $port; BearerToken = $Token; User = 'user-1'; Count = 3; Duration = [timespan]'00:01:00' } + $Https)
        Wait-WebhookListening $port
        $client = New-WebhookClient -Pki $Pki
        Send-WebhookBody $client "https://127.0.0.1:$port/" (New-WebhookEventList -Count 9) -Token 'test-token-1234' | Should -Be 200
        $out = Wait-TestReceiver $receiver
        $out.AuditId | Should -Be @('b-1', 'b-4', 'b-7')
    }

    It 'answers 401 and 403 to wrong credentials and emits nothing for them' {
        $port = Get-FreeTcpPort
        $receiver = Start-TestReceiver (@{ Port = $port; ClientCaPath = $Pki.Ca; BearerToken = $Token; Count = 1; Duration = [timespan]'00:01:00' } + $Https)
        Wait-WebhookListening $port
        $url = "https://127.0.0.1:$port/"
        $anonymous = New-WebhookClient -Pki $Pki
        $stranger = New-WebhookClient -Pki $Pki -CertPath $Pki.StrangerCert -KeyPath $Pki.StrangerKey
        Send-WebhookBody $anonymous $url (New-WebhookEventList -Count 5 -Tag bad) | Should -Be 401
        Send-WebhookBody $anonymous $url (New-WebhookEventList -Count 5 -Tag bad) -Token 'wrong-token' | Should -Be 401
        Send-WebhookBody $stranger $url (New-WebhookEventList -Count 5 -Tag bad) | Should -Be 403
        # A good client afterwards: the only object is its event.
        $good = New-WebhookClient -Pki $Pki -CertPath $Pki.ClientCert -KeyPath $Pki.ClientKey
        Send-WebhookBody $good $url (New-WebhookEventList -Count 1 -Tag good) | Should -Be 200
        $out = Wait-TestReceiver $receiver
        $out.Count | Should -Be 1
        $out[0].AuditId | Should -Be 'good-0'
    }

    It 'answers 400 with one ErrorRecord naming the peer, 413 and 415, and goes on' {
        $port = Get-FreeTcpPort
        $receiver = Start-TestReceiver (@{ Port = $port; BearerToken = $Token; MaxBodySize = 100000; Count = 2; Duration = [timespan]'00:01:00' } + $Https)
        Wait-WebhookListening $port
        $url = "https://127.0.0.1:$port/"
        $client = New-WebhookClient -Pki $Pki
        Send-WebhookBody $client $url 'this is not json' -Token 'test-token-1234' | Should -Be 400
        Send-WebhookBody $client $url (New-WebhookEventList -Count 400 -Tag big) -Token 'test-token-1234' | Should -Be 413
        Send-WebhookBody $client $url (New-WebhookEventList -Count 2 -Tag typed) -ContentType 'text/plain' -Token 'test-token-1234' | Should -Be 415
        Send-WebhookBody $client $url (New-WebhookEventList -Count 2 -Tag ok) -Token 'test-token-1234' | Should -Be 200
        $out = Wait-TestReceiver $receiver
        $errors = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.WebhookBatchRefused*'
        "$($errors[0])" | Should -Match 'from 127\.0\.0\.1:\d+ was refused \(400\): the body is not valid JSON'
        @($out | Where-Object { $_ -is [KubeAudit.AuditEvent] }).AuditId | Should -Be @('ok-0', 'ok-1')
    }

    It 'answers 503 when the pipeline falls behind, and loses nothing once the client retries' {
        $port = Get-FreeTcpPort
        $receiver = Start-TestReceiver -DelayMs 1 (@{ Port = $port; BearerToken = $Token; QueueCapacity = 400; Count = 2000; Duration = [timespan]'00:02:00' } + $Https)
        Wait-WebhookListening $port
        $client = New-WebhookClient -Pki $Pki
        $statuses = [System.Collections.Generic.List[int]]::new()
        for ($b = 0; $b -lt 5; $b++) {
            # As the API server does: the same batch again after a pause, until it is accepted.
            $body = New-WebhookEventList -Start ($b * 400) -Count 400
            do {
                $status = Send-WebhookBody $client "https://127.0.0.1:$port/" $body -Token 'test-token-1234'
                $statuses.Add($status)
                if ($status -eq 503) { Start-Sleep -Milliseconds 100 }
            } while ($status -eq 503)
            $status | Should -Be 200
        }
        $out = Wait-TestReceiver $receiver -TimeoutSeconds 120
        $statuses | Should -Contain 503
        $out.Count | Should -Be 2000
        ($out.AuditId -join ',') | Should -BeExactly ((0..1999 | ForEach-Object { "b-$_" }) -join ',')
    }

    It 'shows with -Debug what Kestrel itself says about a request' {
        $port = Get-FreeTcpPort
        $job = Start-ThreadJob -ArgumentList $ModuleManifest, $port {
            param($Module, $Port)
            Import-Module $Module
            Receive-KubeAuditEvent -Port $Port -AllowInsecureHttp -BearerToken (ConvertTo-SecureString t -AsPlainText -Force) -Count 1 -Duration 00:00:30 -Debug 5>&1 |
                ForEach-Object { "$_" }
        }
        try {
            Wait-WebhookListening $port
            $client = [System.Net.Http.HttpClient]::new()
            # Refused before its body is read: Kestrel notes the body it had to drain itself.
            Send-WebhookBody $client "http://127.0.0.1:$port/" (New-WebhookEventList -Count 50) | Should -Be 401
            Send-WebhookBody $client "http://127.0.0.1:$port/" (New-WebhookEventList -Count 1) -Token t | Should -Be 200
            $out = @($job | Wait-Job -Timeout 60 | Receive-Job)
            @($out | Where-Object { $_ -like 'Kestrel: *without reading the entire request body*' }).Count | Should -Be 1
        }
        finally { Remove-Job $job -Force }
    }

    It 'refuses plain HTTP on an address that is not loopback' {
        { Receive-KubeAuditEvent -Port 0 -ListenAddress 0.0.0.0 -AllowInsecureHttp -AllowAnonymous -Duration 00:00:01 -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeAudit.InsecureHttpNotLoopback*'
    }

    It 'says so when the port is taken' {
        $busy = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $busy.Start()
        try {
            { Receive-KubeAuditEvent -Port $busy.LocalEndpoint.Port -AllowInsecureHttp -AllowAnonymous -Duration 00:00:01 -ErrorAction Stop } |
                Should -Throw -ErrorId 'KubeAudit.WebhookListenFailed*'
        }
        finally { $busy.Stop() }
    }

    It 'needs credentials or -AllowAnonymous' {
        { Receive-KubeAuditEvent -Port 0 @Https -Duration 00:00:01 -ErrorAction Stop } | Should -Throw -ErrorId 'KubeAudit.WebhookAuthenticationMissing*'
    }
}

Describe 'Stopping Receive-KubeAuditEvent' {
    It 'stops within a second on Ctrl+C (PowerShell.Stop) and frees the port' {
        $port = Get-FreeTcpPort
        $receiver = Start-TestReceiver (@{ Port = $port; BearerToken = $Token } + $Https)
        Wait-WebhookListening $port
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $stop = $receiver.PowerShell.BeginStop($null, $null)
        $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(5)) | Should -BeTrue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 1.5
        Test-PortFree $port | Should -BeTrue -Because 'a new listener must bind the port right after'
        $receiver.PowerShell.Dispose()
    }

    It 'stops on SIGINT (Ctrl+C) in a child pwsh and frees the port' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'SIGINT is a Unix signal; PowerShell.Stop above is the same path'; return }
        $port = Get-FreeTcpPort
        # A suite started in the background (`... &`) ignores SIGINT, and a child inherits that (.NET then keeps it
        # ignored): env resets it, so the child meets Ctrl+C as a terminal's foreground job does.
        $start = [System.Diagnostics.ProcessStartInfo]::new('env')
        foreach ($a in '--default-signal=INT', 'dotnet', $PwshDll, '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModuleManifest'; Receive-KubeAuditEvent -Port $port -AllowInsecureHttp -AllowAnonymous") { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true; $start.RedirectStandardError = $true; $start.RedirectStandardInput = $true
        $child = [System.Diagnostics.Process]::Start($start)
        try {
            Wait-WebhookListening $port -TimeoutSeconds 60
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            & kill -INT $child.Id
            $child.WaitForExit(10000) | Should -BeTrue -Because 'Ctrl+C must end the receiver'
            Test-PortFree $port | Should -BeTrue
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
        }
        finally { if (-not $child.HasExited) { $child.Kill() }; $child.Dispose() }
    }

    It 'stops on Stop-Job of a thread job and frees the port' {
        $port = Get-FreeTcpPort
        $job = Start-ThreadJob -ArgumentList $ModuleManifest, $port, $Pki.ServerCert, $Pki.ServerKey {
            param($Module, $Port, $Cert, $Key)
            Import-Module $Module
            Receive-KubeAuditEvent -Port $Port -CertificatePath $Cert -KeyPath $Key -AllowAnonymous
        }
        try {
            Wait-WebhookListening $port
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            Stop-Job $job
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 2
            Test-PortFree $port | Should -BeTrue
        }
        finally { Remove-Job $job -Force }
    }
}

Describe 'Loading Kestrel beside other Microsoft.Extensions assemblies' {
    It 'serves with its own copies when the session loaded other versions first' {
        $shared = Get-ChildItem (Join-Path ([System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()) '../../Microsoft.AspNetCore.App') -Directory -ErrorAction SilentlyContinue |
            Select-Object -Last 1
        if (-not $shared) { Set-ItResult -Skipped -Because 'no ASP.NET Core shared runtime here to take other Microsoft.Extensions versions from'; return }
        $port = Get-FreeTcpPort
        $result = Invoke-CleanPwsh @"
Add-Type -Path '$($shared.FullName)/Microsoft.Extensions.Primitives.dll', '$($shared.FullName)/Microsoft.Extensions.Logging.Abstractions.dll', '$($shared.FullName)/Microsoft.Extensions.Options.dll'
Import-Module '$ModuleManifest'
`$job = Start-ThreadJob { Start-Sleep -Milliseconds 800; Invoke-RestMethod -Method Post -Uri 'http://127.0.0.1:$port/' -ContentType application/json -Body '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[{"auditID":"x1","stage":"ResponseComplete","verb":"get","level":"Metadata","requestURI":"/api","user":{"username":"u"}}]}' }
`$e = Receive-KubeAuditEvent -Port $port -AllowInsecureHttp -AllowAnonymous -Count 1 -Duration 00:00:20
"EVENT=`$(`$e.AuditId)"
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Microsoft.Extensions.Primitives' }) {
    "ASM=`$(`$a.GetName().Version.Major)|`$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$a).Name)"
}
"@
        $result.Output | Should -Contain 'EVENT=x1'
        $asm = @($result.Output | Where-Object { $_ -like 'ASM=*' })
        $asm | Should -Contain 'ASM=8|KubeAudit'
        @($asm | Where-Object { $_ -notlike '*|KubeAudit' }).Count | Should -Be 1 -Because 'the session keeps its own copy'
    }
}

Describe 'New-KubeAuditWebhookConfig' {
    BeforeAll { $script:Dir = New-Item -ItemType Directory (Join-Path $TestDrive 'config') }

    It 'writes the kubeconfig the webhook backend reads, owner-only' {
        $file = Join-Path $Dir 'hook.kubeconfig'
        New-KubeAuditWebhookConfig -Path $file -Server https://audit.example.internal:8443/k8s-audit -CertificateAuthorityPath /pki/ca.crt -ClientCertificatePath /pki/c.crt -ClientKeyPath /pki/c.key
        $text = Get-Content -Raw $file
        $text | Should -Match '(?m)^kind: Config$'
        $text | Should -Match '(?m)^    server: "https://audit.example.internal:8443/k8s-audit"$'
        $text | Should -Match '(?m)^    certificate-authority: "/pki/ca.crt"$'
        $text | Should -Match '(?m)^    client-certificate: "/pki/c.crt"$'
        $text | Should -Match '(?m)^    client-key: "/pki/c.key"$'
        $text | Should -Match '(?m)^current-context: default$'
        if (-not $IsWindows) { (Get-Item $file).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
        @(Get-ChildItem $Dir -Force -Filter '.*').Count | Should -Be 0 -Because 'no temporary file is left behind'
    }

    It 'writes a token quoted, and leaves an existing file byte-identical without -Force' {
        $file = Join-Path $Dir 'token.kubeconfig'
        $token = ConvertTo-SecureString 'tok"en' -AsPlainText -Force
        New-KubeAuditWebhookConfig -Path $file -Server https://10.0.0.5:8443/ -Token $token
        Get-Content -Raw $file | Should -Match '(?m)^    token: "tok\\"en"$'
        $before = Get-FileHash $file
        { New-KubeAuditWebhookConfig -Path $file -Server https://other:1/ -ErrorAction Stop } | Should -Throw -ErrorId 'KubeAudit.FileExists*'
        (Get-FileHash $file).Hash | Should -Be $before.Hash
        New-KubeAuditWebhookConfig -Path $file -Server https://other:1/ -Force -WhatIf
        (Get-FileHash $file).Hash | Should -Be $before.Hash
        New-KubeAuditWebhookConfig -Path $file -Server https://other:1/ -Force
        Get-Content -Raw $file | Should -Match 'https://other:1/'
    }

    It 'refuses a client certificate without its key, and a URL that is not http(s)' {
        { New-KubeAuditWebhookConfig -Path (Join-Path $Dir 'x') -Server https://a/ -ClientCertificatePath /c.crt -ErrorAction Stop } | Should -Throw -ErrorId 'KubeAudit.InvalidWebhookConfig*'
        { New-KubeAuditWebhookConfig -Path (Join-Path $Dir 'x') -Server ftp://a/ -ErrorAction Stop } | Should -Throw -ErrorId 'KubeAudit.InvalidWebhookConfig*'
        Test-Path (Join-Path $Dir 'x') | Should -BeFalse
    }
}
