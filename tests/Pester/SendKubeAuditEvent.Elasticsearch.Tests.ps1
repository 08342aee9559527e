# Send-KubeAuditEvent -Engine Elasticsearch|OpenSearch through the cmdlet, against a loopback server that answers as
# Elasticsearch's documentation shows (_bulk items with status 201, 409 for a create of an id it holds, the index
# template and data stream APIs). No Elasticsearch server exists here: this checks what the command sends and how it
# counts the answers; the live test (tests/KubeAudit.Core.Tests/Stores/ElasticsearchLiveTests.cs) needs
# KUBEAUDIT_ELASTICSEARCH_URI.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/audit.log'

    # The server: every request kept (method, path, Authorization, body); _bulk answered item by item.
    function Start-CannedElasticsearch {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $uri = "http://127.0.0.1:$port/"
        $requests = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $stored = [System.Collections.Concurrent.ConcurrentDictionary[string, byte]]::new()
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add($uri)
        $listener.Start()
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Listener, $Requests, $Stored)
                while ($Listener.IsListening) {
                    try { $context = $Listener.GetContext() } catch { break }
                    $reader = [IO.StreamReader]::new($context.Request.InputStream)
                    $body = $reader.ReadToEnd()
                    $path = $context.Request.Url.AbsolutePath
                    $Requests.Enqueue([pscustomobject]@{ Method = $context.Request.HttpMethod; Path = $path; Query = $context.Request.Url.Query
                            Authorization = $context.Request.Headers['Authorization']; ContentType = $context.Request.ContentType; Body = $body })
                    $status = 200; $answer = '{"acknowledged":true}'
                    if ($path -like '*/_bulk') {
                        $lines = @($body -split "`n" | Where-Object { $_ })
                        $items = for ($i = 0; $i -lt $lines.Count; $i += 2) {
                            $id = ($lines[$i] | ConvertFrom-Json).create._id
                            if ($Stored.TryAdd($id, 0)) { '{"create":{"status":201}}' }
                            else { '{"create":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"[' + $id + ']: version conflict, document already exists (current version [1])"}}}' }
                        }
                        $answer = '{"errors":' + $(if ($items -match '409') { 'true' } else { 'false' }) + ',"items":[' + ($items -join ',') + ']}'
                    }
                    elseif ($context.Request.HttpMethod -eq 'HEAD') { $status = 404; $answer = '' }
                    $bytes = [Text.Encoding]::UTF8.GetBytes($answer)
                    $context.Response.StatusCode = $status
                    $context.Response.ContentType = 'application/json'
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    $context.Response.Close()
                }
            }).AddArgument($listener).AddArgument($requests).AddArgument($stored)
        $handle = $ps.BeginInvoke()
        [pscustomobject]@{ Uri = $uri; Requests = $requests; Stored = $stored; Listener = $listener; PowerShell = $ps; Handle = $handle }
    }

    function Stop-CannedElasticsearch($Server) {
        if ($Server) { $Server.Listener.Close(); $null = $Server.Handle.AsyncWaitHandle.WaitOne(5000); $Server.PowerShell.Dispose() }
    }
}

Describe 'Send-KubeAuditEvent -Engine Elasticsearch (loopback server answering as documented)' {
    BeforeAll {
        $server = Start-CannedElasticsearch
        $events = @(Get-KubeAuditEvent -LiteralPath $sample -ErrorAction SilentlyContinue)
    }
    AfterAll { Stop-CannedElasticsearch $server }

    It 'sends every event as an ECS document keyed by auditID and stage, with basic authentication' {
        $credential = [pscredential]::new('elastic', (ConvertTo-SecureString 'changeme' -AsPlainText -Force))
        $summary = Send-KubeAuditEvent -LiteralPath $sample -Uri $server.Uri -Engine Elasticsearch -Index kube-audit -Credential $credential -BatchSize 500
        $summary.Sent | Should -Be $events.Count
        $summary.Failed | Should -Be 0
        $server.Stored.Count | Should -Be @($events | ForEach-Object { "$($_.AuditId)-$($_.Stage)" } | Sort-Object -Unique).Count
        $bulks = @($server.Requests.ToArray() | Where-Object Path -EQ '/kube-audit/_bulk')
        $bulks.Count | Should -Be ([math]::Ceiling($events.Count / 500))
        $bulks | ForEach-Object { $_.Authorization | Should -Be ('Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('elastic:changeme'))) }
        $bulks[0].ContentType | Should -BeLike 'application/x-ndjson*'
        $first = ($bulks[0].Body -split "`n")
        ($first[0] | ConvertFrom-Json).create._id | Should -Be "$($events[0].AuditId)-$($events[0].Stage)"
        $document = $first[1] | ConvertFrom-Json -AsHashtable
        $document['@timestamp'] | Should -Not -BeNullOrEmpty
        $document['kubernetes']['audit']['auditID'] | Should -Be $events[0].AuditId
        $document['kubernetes']['audit']['verb'] | Should -Be $events[0].Verb
    }

    It 'counts a re-send as stored, not failed, and stores nothing twice (409 on create)' {
        $before = $server.Stored.Count
        $summary = Send-KubeAuditEvent -LiteralPath $sample -Uri $server.Uri -Engine Elasticsearch -Index kube-audit -BatchSize 1000
        $summary.Sent | Should -Be $events.Count
        $summary.Failed | Should -Be 0
        $server.Stored.Count | Should -Be $before
    }

    It 'sends an API key as the ApiKey authorization, and -CreateIndexTemplate creates the template and data stream first' {
        $key = ConvertTo-SecureString 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==' -AsPlainText -Force
        $null = $server.Requests.Clear()
        $summary = Get-KubeAuditEvent -LiteralPath $sample -Tail 10 | Send-KubeAuditEvent -Uri $server.Uri -Engine OpenSearch -Index logs-kubernetes.audit_logs-default -ApiKey $key -CreateIndexTemplate
        $summary.Sent | Should -Be 10
        $seen = @($server.Requests.ToArray())
        $seen[0].Method + ' ' + $seen[0].Path | Should -BeLike 'HEAD /_index_template/*'
        ($seen | Where-Object Method -EQ 'PUT').Path | Should -Contain '/_data_stream/logs-kubernetes.audit_logs-default'
        $seen[-1].Path | Should -Be '/logs-kubernetes.audit_logs-default/_bulk'
        $seen | ForEach-Object { $_.Authorization | Should -Be 'ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==' }
    }

    It 'refuses -CreateTable for Elasticsearch, before sending anything' {
        $null = $server.Requests.Clear()
        { Send-KubeAuditEvent -LiteralPath $sample -Uri $server.Uri -Engine Elasticsearch -Index kube-audit -CreateTable -ErrorAction Stop } | Should -Throw
        $server.Requests.Count | Should -Be 0
    }
}
