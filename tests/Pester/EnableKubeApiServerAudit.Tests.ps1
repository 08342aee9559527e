BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $script:CorpusManifests = @(Get-ChildItem (Join-Path $Corpus 'manifests') -File | Sort-Object Name | ForEach-Object { @{ Name = $_.Name; Source = $_.FullName } })
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/kube-apiserver.yaml'
    $fileMount = Join-Path $RepoRoot 'tests/Pester/fixtures/manifests/log-file-mount.yaml'
    $ours = '^audit-(policy|log|webhook)(-[0-9]+)?$'
    $managed = 'audit-policy-file', 'audit-log-path', 'audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize', 'audit-log-format', 'audit-log-compress', 'audit-webhook-config-file',
        'audit-webhook-mode', 'audit-webhook-batch-buffer-size', 'audit-webhook-batch-max-size', 'audit-webhook-batch-max-wait', 'audit-webhook-batch-throttle-enable',
        'audit-webhook-batch-throttle-qps', 'audit-webhook-batch-throttle-burst', 'audit-webhook-initial-backoff'

    # A node in TestDrive: <root>/etc/kubernetes/manifests/<name>, backups in <root>/etc/kubernetes/tmp.
    function New-Node([string] $Source, [string] $Name = 'kube-apiserver.yaml') {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $manifests = New-Item -ItemType Directory -Force (Join-Path $root 'etc/kubernetes/manifests')
        $manifest = Join-Path $manifests $Name
        Copy-Item -LiteralPath $Source $manifest
        [pscustomobject]@{
            Root = $root; Manifest = $manifest; Folder = $manifests.FullName
            Backup = Join-Path $root 'etc/kubernetes/tmp'; Policy = Join-Path $root 'etc/kubernetes/audit-policy.yaml'
            Original = [IO.File]::ReadAllBytes($manifest)
        }
    }

    function Enable($node, [hashtable] $More = @{}) {
        Enable-KubeApiServerAudit -ManifestPath $node.Manifest -HostRoot $node.Root -BackupPath $node.Backup -Confirm:$false @More
    }

    function Test-Unchanged($node) { [IO.File]::ReadAllBytes($node.Manifest) | Should -Be $node.Original -Because 'the manifest must stay byte-identical' }
    function Get-Backups($node) { @(Get-ChildItem $node.Backup -Recurse -File -ErrorAction SilentlyContinue) }
    function Get-Shape($config) {
        # What Disable must give back: every volume, mount and audit flag Enable does not manage.
        [pscustomobject]@{
            Flags = @($config.Flags | Where-Object Name -notin $managed | ForEach-Object ToString) -join '|'
            Volumes = @($config.Volumes | Where-Object Name -notmatch $ours | ForEach-Object { "$($_.Name)=$($_.HostPath):$($_.Type)" }) -join '|'
            Mounts = @($config.Mounts | Where-Object Name -notmatch $ours | ForEach-Object { "$($_.Name)=$($_.MountPath):$($_.ReadOnly)" }) -join '|'
        }
    }
}

Describe 'Enable-KubeApiServerAudit on <Name>' -ForEach $CorpusManifests {
    It 'enables, reads clean, is idempotent, and Disable gives the original back' {
        $node = New-Node $Source $Name
        $before = Get-KubeApiServerAuditConfig $node.Manifest
        $hadAudit = @($before.Flags | Where-Object Name -in $managed).Count -gt 0

        $config = Enable $node @{ Force = $true; Compress = $true; Format = 'json'; PassThru = $true }
        $config.IsEnabled | Should -BeTrue
        $config.PolicyFile | Should -Be '/etc/kubernetes/audit-policy.yaml'
        $config.LogPath | Should -Be '/var/log/kubernetes/audit/audit.log'
        Test-Path -LiteralPath $node.Policy | Should -BeTrue

        $read = Get-KubeApiServerAuditConfig $node.Manifest -HostRoot $node.Root
        $read.Problems | Should -BeNullOrEmpty
        $read.PathMounts | ForEach-Object { $_.IsMounted | Should -BeTrue }

        $enabled = [IO.File]::ReadAllBytes($node.Manifest)
        $backups = (Get-Backups $node).Count
        Enable $node @{ Force = $true; Compress = $true; Format = 'json'; Verbose = $true } 4>&1 | Out-String | Should -Match 'already configured'
        [IO.File]::ReadAllBytes($node.Manifest) | Should -Be $enabled
        (Get-Backups $node).Count | Should -Be $backups

        Disable-KubeApiServerAudit $node.Manifest -BackupPath $node.Backup -Confirm:$false
        if (-not $hadAudit) { [IO.File]::ReadAllBytes($node.Manifest) | Should -Be $node.Original }
        $after = Get-KubeApiServerAuditConfig $node.Manifest
        $after.Flags | Where-Object Name -in $managed | Should -BeNullOrEmpty
        Get-Shape $after | Should -BeLike (Get-Shape $before)
        (Get-Shape $after).Volumes | Should -Be (Get-Shape $before).Volumes
        (Get-Shape $after).Mounts | Should -Be (Get-Shape $before).Mounts
        (Get-Shape $after).Flags | Should -Be (Get-Shape $before).Flags
    }
}

Describe 'Enable-KubeApiServerAudit safety' {
    It 'with -WhatIf prints the diff and the policy destination, and changes nothing' {
        $node = New-Node $sample
        $script = "Import-Module '$ModuleManifest'; Enable-KubeApiServerAudit -ManifestPath '$($node.Manifest)' -HostRoot '$($node.Root)' -BackupPath '$($node.Backup)' -WhatIf"
        $run = Invoke-CleanPwsh $script
        $run.ExitCode | Should -Be 0
        $text = $run.Output -join "`n"
        $text | Should -Match 'What if:'
        $text | Should -Match '(?m)^\+\s+- --audit-policy-file=/etc/kubernetes/audit-policy.yaml$'
        $text | Should -Match '(?m)^@@ '
        $text | Should -Match ([regex]::Escape($node.Policy))
        Test-Unchanged $node
        Test-Path $node.Policy | Should -BeFalse
        Test-Path $node.Backup | Should -BeFalse
    }

    It 'refuses an invalid -PolicyPath: manifest byte-identical, no policy written' {
        $node = New-Node $sample
        $bad = Join-Path $TestDrive 'bad-policy.yaml'
        Set-Content $bad "apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n- level: Loud`n"
        { Enable $node @{ PolicyPath = $bad } } | Should -Throw -ErrorId 'KubeAudit.InvalidAuditPolicy,*'
        try { Enable $node @{ PolicyPath = $bad } } catch { $err = $_ }
        $err.Exception.Message | Should -Match 'Loud'
        $err.TargetObject | Should -Be $node.Manifest
        Test-Unchanged $node
        Test-Path $node.Policy | Should -BeFalse
        (Get-Backups $node).Count | Should -Be 0
    }

    It 'refuses a -PolicyPath holding <Why>, which kube-apiserver cannot read: byte offset and line, nothing written' -ForEach @(
        @{ Why = 'a NUL byte'; Bytes = [byte[]]@(0x00); Says = 'U\+0000' }
        @{ Why = 'invalid UTF-8'; Bytes = [byte[]]@(0xC3, 0x28); Says = 'invalid UTF-8' }
    ) {
        $node = New-Node $sample
        $bad = Join-Path $TestDrive 'hostile-policy.yaml'
        $head = [Text.Encoding]::UTF8.GetBytes("apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n# ")
        [IO.File]::WriteAllBytes($bad, [byte[]]($head + $Bytes + [Text.Encoding]::UTF8.GetBytes("`n- level: Metadata`n")))
        try { Enable $node @{ PolicyPath = $bad } } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'KubeAudit.InvalidAuditPolicy,*'
        $err.Exception.Message | Should -Match $Says
        $err.Exception.Message | Should -Match "byte offset $($head.Length)\b.*line 4"
        Test-Unchanged $node
        Test-Path $node.Policy | Should -BeFalse
    }

    It 'refuses a conflicting value without -Force, naming flag, current and wanted value; applies it with -Force' {
        $node = New-Node $sample
        Enable $node
        $node.Original = [IO.File]::ReadAllBytes($node.Manifest)
        $err = $null
        try { Enable $node @{ MaxAge = 7 } } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'KubeAudit.AuditFlagConflict,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.TargetObject | Should -Be $node.Manifest
        $err.Exception.Message | Should -Match "--audit-log-maxage is already set to '30', wanted '7'"
        Test-Unchanged $node

        (Enable $node @{ MaxAge = 7; Force = $true; PassThru = $true }).LogMaxAge | Should -Be '7'
    }

    It 'refuses a different policy at the destination without -Force, and backs it up with -Force' {
        $node = New-Node $sample
        $null = New-Item -ItemType Directory -Force (Split-Path $node.Policy)
        Copy-Item (Join-Path $RepoRoot 'samples/audit-policy.yaml') $node.Policy
        $theirs = [IO.File]::ReadAllBytes($node.Policy)
        { Enable $node } | Should -Throw -ErrorId 'KubeAudit.AuditPolicyConflict,*'
        Test-Unchanged $node
        [IO.File]::ReadAllBytes($node.Policy) | Should -Be $theirs
        Enable $node @{ Force = $true }
        Get-Content -Raw $node.Policy | Should -BeExactly (New-KubeAuditPolicy)
        $saved = Get-Backups $node | Where-Object Name -eq 'audit-policy.yaml'
        [IO.File]::ReadAllBytes($saved.FullName) | Should -Be $theirs
    }

    It 'leaves no other non-dot file in the manifests folder, keeps the backup outside it equal to the original, and keeps mode 0600' -Skip:$IsWindows {
        $node = New-Node $sample
        & chmod 600 $node.Manifest
        Enable $node
        @(Get-ChildItem $node.Folder -Force | Where-Object Name -notlike '.*').Name | Should -Be @('kube-apiserver.yaml')
        @(Get-ChildItem $node.Folder -Force).Count | Should -Be 1
        $backup = Get-Backups $node
        $backup.Count | Should -Be 1
        $backup[0].FullName | Should -Not -BeLike "$($node.Folder)*"
        [IO.File]::ReadAllBytes($backup[0].FullName) | Should -Be $node.Original
        (Get-Item $node.Manifest).UnixMode | Should -Be '-rw-------'
        (Get-Item $node.Policy).UnixMode | Should -Be '-rw-------'
    }

    It 'sets an identical policy left at 0644 to 0600 and says so' -Skip:$IsWindows {
        $node = New-Node $sample
        Enable $node
        & chmod 644 $node.Policy
        $said = @(Enable $node 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        (Get-Item $node.Policy).UnixMode | Should -Be '-rw-------'
        "$said" | Should -Match '0644.*0600'
        Get-Content -Raw $node.Policy | Should -BeExactly (New-KubeAuditPolicy)
    }

    It 'creates a missing log folder with mode 0700 under -HostRoot' -Skip:$IsWindows {
        $node = New-Node $sample
        $folder = Join-Path $node.Root 'var/log/kubernetes/audit'
        Test-Path $folder | Should -BeFalse
        Enable $node
        (Get-Item $folder).UnixMode | Should -Be 'drwx------'
        @(Get-ChildItem $folder).Count | Should -Be 0
    }

    It 'refuses a backup folder inside the manifests folder, file untouched' {
        $node = New-Node $sample
        { Enable-KubeApiServerAudit $node.Manifest -HostRoot $node.Root -BackupPath (Join-Path $node.Folder 'bk') -Confirm:$false } |
            Should -Throw -ErrorId 'KubeAudit.ManifestWriteFailed,*'
        Test-Unchanged $node
        # The policy written first is taken back.
        Test-Path $node.Policy | Should -BeFalse
    }

    It 'gives a clear error for <Name>, file byte-identical' -ForEach @(
        @{ Name = 'invalid YAML'; Text = "apiVersion: v1`nkind: Pod`nspec: [unclosed`n"; Id = 'KubeAudit.InvalidYaml' }
        @{ Name = 'a Deployment'; Text = "apiVersion: apps/v1`nkind: Deployment`nmetadata:`n  name: web`n"; Id = 'KubeAudit.NotAnApiServerPod' }
    ) {
        $file = Join-Path $TestDrive 'bad.yaml'
        Set-Content -Path $file -Value $Text -NoNewline
        $node = New-Node $file
        $err = $null
        try { Enable $node } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.TargetObject | Should -Be $node.Manifest
        Test-Unchanged $node
        Test-Path $node.Policy | Should -BeFalse
    }

    It 'replaces a mounted log file with its folder only with -Force' {
        $node = New-Node $fileMount
        $null = New-Item -ItemType Directory -Force (Split-Path $node.Policy)
        New-KubeAuditPolicy -Path $node.Policy
        { Enable $node } | Should -Throw -ErrorId 'KubeAudit.AuditLogFileMounted,*'
        Test-Unchanged $node
        $config = Enable $node @{ Force = $true; PassThru = $true }
        $config.Problems | Should -BeNullOrEmpty
        $config.Mounts.Name | Should -Not -Contain 'audit-log-file'
    }

    It 'installs -PolicyPath at -PolicyDestination relative to the current folder without -HostRoot' {
        $node = New-Node $sample
        Push-Location $TestDrive
        try {
            $config = Enable-KubeApiServerAudit $node.Manifest -PolicyPath (Join-Path $RepoRoot 'samples/audit-policy.yaml') -PolicyDestination ./installed.yaml -BackupPath ./bk -Confirm:$false -PassThru
        }
        finally { Pop-Location }
        $config.PolicyFile | Should -Be (Join-Path $TestDrive 'installed.yaml')
        $config.Problems | Should -BeNullOrEmpty
        Get-Content -Raw (Join-Path $TestDrive 'installed.yaml') | Should -BeExactly (Get-Content -Raw (Join-Path $RepoRoot 'samples/audit-policy.yaml'))
    }
}

Describe 'Enable-KubeApiServerAudit -HealthUri' {
    BeforeAll {
        # A minimal HTTP server on 127.0.0.1 only, answering every request with $Status, served from its own runspace.
        function Start-HealthServer([int] $Status) {
            $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                param($listener, $status)
                while ($true) {
                    try { $client = $listener.AcceptTcpClient() } catch { break }
                    try {
                        $client.ReceiveTimeout = 2000
                        $stream = $client.GetStream()
                        $reader = [IO.StreamReader]::new($stream, [Text.Encoding]::ASCII)
                        while ($reader.ReadLine()) { }
                        $body = if ($status -eq 200) { 'ok' } else { '[-]poststarthook/start-apiserver failed' }
                        $bytes = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 $status Status`r`nContent-Type: text/plain`r`nContent-Length: $($body.Length)`r`nConnection: close`r`n`r`n$body")
                        $stream.Write($bytes, 0, $bytes.Length)
                        $stream.Flush()
                    }
                    catch { }
                    finally { $client.Dispose() }
                }
            }).AddArgument($listener).AddArgument($Status)
            $handle = $ps.BeginInvoke()
            $uri = "http://127.0.0.1:$($listener.LocalEndpoint.Port)/livez"
            # Wait (bounded) until the runspace serves, so a slow start does not eat the command's timeout.
            $client = [Net.Http.HttpClient]::new()
            try { $null = $client.GetAsync($uri).Wait(10000) } catch { } finally { $client.Dispose() }
            [pscustomobject]@{ Listener = $listener; PowerShell = $ps; Handle = $handle; Uri = $uri }
        }

        function Stop-HealthServer($server) {
            $server.Listener.Stop()
            $null = $server.Handle.AsyncWaitHandle.WaitOne(5000)
            $server.PowerShell.Dispose()
        }

        # A kubelet pod-log folder with an apiserver that failed on the audit policy.
        function New-PodLogs {
            $pods = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            $container = New-Item -ItemType Directory -Force (Join-Path $pods 'kube-system_kube-apiserver-node1_5f0c/kube-apiserver')
            $now = [DateTimeOffset]::UtcNow.AddSeconds(30).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'")
            $lines = @(
                "$now stderr F I1125 10:00:00.000000       1 options.go:228] external host was not specified"
                "$now stderr P E1125 10:00:00.000000       1 run.go:72] `"command failed`" err=`"loading audit policy file: "
                "$now stderr F open /etc/kubernetes/audit-policy.yaml: no such file or directory`""
            )
            Set-Content -LiteralPath (Join-Path $container '0.log') -Value $lines
            $pods
        }
    }

    It 'waits for 200 and keeps the new manifest' {
        $server = Start-HealthServer 200
        try {
            $node = New-Node $sample
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $config = Enable $node @{ HealthUri = $server.Uri; Timeout = '00:00:05'; PodLogPath = (Join-Path $TestDrive 'no-pods'); PassThru = $true }
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $config.IsEnabled | Should -BeTrue
            [IO.File]::ReadAllBytes($node.Manifest) | Should -Not -Be $node.Original
            (Get-Backups $node).Count | Should -Be 1
        }
        finally { Stop-HealthServer $server }
    }

    It 'restores the manifest byte-identical and reports the log errors when the server answers 500' {
        $server = Start-HealthServer 500
        try {
            $node = New-Node $sample
            $pods = New-PodLogs
            $err = $null
            $clock = [Diagnostics.Stopwatch]::StartNew()
            try { Enable $node @{ HealthUri = $server.Uri; Timeout = '00:00:03'; PodLogPath = $pods } } catch { $err = $_ }
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 9
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'KubeAudit.ApiServerUnhealthy,*'
            $err.TargetObject | Should -Be $node.Manifest
            $err.Exception.Message | Should -Match 'HTTP 500'
            $err.Exception.Message | Should -Match 'restored'
            $err.Exception.Message | Should -Match ([regex]::Escape('"command failed" err="loading audit policy file: open /etc/kubernetes/audit-policy.yaml: no such file or directory"'))
            $err.Exception.Message | Should -Not -Match 'external host'
            Test-Unchanged $node
            # The policy it installed is taken back too.
            Test-Path $node.Policy | Should -BeFalse
            @(Get-ChildItem $node.Folder -Force).Name | Should -Be @('kube-apiserver.yaml')
        }
        finally { Stop-HealthServer $server }
    }

    It 'restores the manifest when nothing listens, and says no pod log was found' {
        $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $node = New-Node $sample
        $err = $null
        try { Enable $node @{ HealthUri = "http://127.0.0.1:$port/livez"; Timeout = '00:00:02'; PodLogPath = (Join-Path $TestDrive 'no-pods') } } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'KubeAudit.ApiServerUnhealthy,*'
        $err.Exception.Message | Should -Match 'No kube-apiserver container log'
        Test-Unchanged $node
    }

    It 'does not poll with -WhatIf or when nothing changed' {
        $node = New-Node $sample
        Enable $node
        $node.Original = [IO.File]::ReadAllBytes($node.Manifest)
        # Nothing listens on port 9 of 127.0.0.1; a poll would fail after the timeout.
        Enable $node @{ HealthUri = 'http://127.0.0.1:9/livez'; Timeout = '00:00:01' }
        Test-Unchanged $node
        $fresh = New-Node $sample
        Enable-KubeApiServerAudit -ManifestPath $fresh.Manifest -HostRoot $fresh.Root -BackupPath $fresh.Backup -HealthUri 'http://127.0.0.1:9/livez' -Timeout '00:00:01' -WhatIf
        Test-Unchanged $fresh
    }
}

Describe 'Enable-KubeApiServerAudit keeps the manifests folder clean' {
    It 'refuses a policy destination inside the manifests folder, writing nothing' {
        . $PSScriptRoot/Common.ps1
        Import-KubeAudit
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'manifests-policy')
        $manifest = Join-Path $folder 'kube-apiserver.yaml'
        Copy-Item (Join-Path $RepoRoot 'samples/kube-apiserver.yaml') $manifest
        $before = (Get-FileHash $manifest).Hash
        { Enable-KubeApiServerAudit -ManifestPath $manifest -PolicyDestination (Join-Path $folder 'audit-policy.yaml') -BackupPath (Join-Path $TestDrive 'bk-policy') -Confirm:$false } |
            Should -Throw -ExpectedMessage '*manifests folder*'
        (Get-FileHash $manifest).Hash | Should -Be $before
        @(Get-ChildItem $folder -Force).Name | Should -Be @('kube-apiserver.yaml')
    }
}

Describe 'Enable-KubeApiServerAudit -KubeadmConfigPath' {
    BeforeAll {
        $kubeadmFixture = Join-Path $RepoRoot 'tests/Pester/fixtures/kubeadm/kubeadm-config-v1beta4.yaml'
        function New-KubeadmNode {
            $node = New-Node $sample
            $config = Join-Path $node.Root 'etc/kubernetes/kubeadm-config.yaml'
            Copy-Item -LiteralPath $kubeadmFixture $config
            $node | Add-Member -NotePropertyMembers @{ Kubeadm = $config; KubeadmOriginal = [IO.File]::ReadAllBytes($config) } -PassThru
        }
    }

    It 'keeps the kubeadm file in step: idempotent, and Disable gives both files back byte for byte' {
        $node = New-KubeadmNode
        Enable $node @{ KubeadmConfigPath = $node.Kubeadm }
        $text = Get-Content -Raw $node.Kubeadm
        $text | Should -Match '(?m)^  - name: audit-policy-file\n    value: /etc/kubernetes/audit-policy.yaml$'
        $text | Should -Match '(?m)^  - name: audit-log-maxage\n    value: "30"$'
        $text | Should -Match '(?m)^  extraVolumes:\n  - name: audit-policy\n'
        $text | Should -Match '(?m)^kind: KubeletConfiguration$'
        $manifest = [IO.File]::ReadAllBytes($node.Manifest)
        $kubeadm = [IO.File]::ReadAllBytes($node.Kubeadm)
        $manifest | Should -Not -Be $node.Original
        $backups = (Get-Backups $node).Count
        $backups | Should -Be 2

        Enable $node @{ KubeadmConfigPath = $node.Kubeadm; Verbose = $true } 4>&1 | Out-String | Should -Match 'already configured'
        [IO.File]::ReadAllBytes($node.Manifest) | Should -Be $manifest
        [IO.File]::ReadAllBytes($node.Kubeadm) | Should -Be $kubeadm
        (Get-Backups $node).Count | Should -Be $backups

        Disable-KubeApiServerAudit $node.Manifest -BackupPath $node.Backup -KubeadmConfigPath $node.Kubeadm -Confirm:$false
        Test-Unchanged $node
        [IO.File]::ReadAllBytes($node.Kubeadm) | Should -Be $node.KubeadmOriginal
    }

    It 'with -WhatIf shows both diffs and writes nothing' {
        $node = New-KubeadmNode
        $script = "Import-Module '$ModuleManifest'; Enable-KubeApiServerAudit -ManifestPath '$($node.Manifest)' -HostRoot '$($node.Root)' -BackupPath '$($node.Backup)' -KubeadmConfigPath '$($node.Kubeadm)' -WhatIf"
        $run = Invoke-CleanPwsh $script
        $run.ExitCode | Should -Be 0
        $text = $run.Output -join "`n"
        $text | Should -Match '(?m)^\+\s+- --audit-policy-file=/etc/kubernetes/audit-policy.yaml$'
        $text | Should -Match '(?m)^\+  - name: audit-policy-file$'
        $text | Should -Match '(?m)^\+  extraVolumes:$'
        $text | Should -Match ([regex]::Escape($node.Kubeadm))
        Test-Unchanged $node
        [IO.File]::ReadAllBytes($node.Kubeadm) | Should -Be $node.KubeadmOriginal
        Test-Path $node.Policy | Should -BeFalse
        Test-Path $node.Backup | Should -BeFalse
    }

    It 'with -HealthUri, a timeout restores the kubeadm file too' {
        $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $node = New-KubeadmNode
        $err = $null
        try { Enable $node @{ KubeadmConfigPath = $node.Kubeadm; HealthUri = "http://127.0.0.1:$port/livez"; Timeout = '00:00:01'; PodLogPath = (Join-Path $TestDrive 'no-pods') } } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'KubeAudit.ApiServerUnhealthy,*'
        $err.Exception.Message | Should -Match 'kubeadm configuration was restored'
        Test-Unchanged $node
        [IO.File]::ReadAllBytes($node.Kubeadm) | Should -Be $node.KubeadmOriginal
    }

    It 'fails as a whole on a bad kubeadm file (<Why>), writing nothing' -ForEach @(
        @{ Why = 'v1beta2'; Text = "apiVersion: kubeadm.k8s.io/v1beta2`nkind: ClusterConfiguration`n"; Id = 'KubeAudit.NotAKubeadmConfig,*' }
        @{ Why = 'no ClusterConfiguration'; Text = "apiVersion: kubeadm.k8s.io/v1beta4`nkind: InitConfiguration`n"; Id = 'KubeAudit.NotAKubeadmConfig,*' }
        @{ Why = 'invalid YAML'; Text = "apiVersion: kubeadm.k8s.io/v1beta4`nkind: ClusterConfiguration`napiServer: [`n"; Id = 'KubeAudit.InvalidYaml,*' }
    ) {
        $node = New-KubeadmNode
        [IO.File]::WriteAllText($node.Kubeadm, $Text)
        { Enable $node @{ KubeadmConfigPath = $node.Kubeadm } } | Should -Throw -ErrorId $Id
        Test-Unchanged $node
        Get-Content -Raw $node.Kubeadm | Should -Be $Text
        Test-Path $node.Policy | Should -BeFalse
        (Get-Backups $node).Count | Should -Be 0

        Enable $node
        $node.Original = [IO.File]::ReadAllBytes($node.Manifest)
        { Disable-KubeApiServerAudit $node.Manifest -BackupPath $node.Backup -KubeadmConfigPath $node.Kubeadm -Confirm:$false } | Should -Throw -ErrorId $Id
        Test-Unchanged $node
        Get-Content -Raw $node.Kubeadm | Should -Be $Text
    }
}

Describe 'Enable-KubeApiServerAudit -HealthUri timeout report' {
    BeforeAll {
        $kubeadmFixture = Join-Path $RepoRoot 'tests/Pester/fixtures/kubeadm/kubeadm-config-v1beta4.yaml'
    }

    It 'reports the manifest <Manifest> and the kubeadm file <Kubeadm>, exactly' -ForEach @(
        @{ Manifest = 'restored'; Kubeadm = 'not given' }
        @{ Manifest = 'restored'; Kubeadm = 'restored' }
        @{ Manifest = 'not restored'; Kubeadm = 'not given' }
        @{ Manifest = 'not restored'; Kubeadm = 'restored' }
    ) {
        $node = New-Node $sample
        $more = @{ Timeout = '00:00:02'; PodLogPath = (Join-Path $TestDrive 'no-pods') }
        if ($Kubeadm -ne 'not given') {
            $config = Join-Path $node.Root 'etc/kubernetes/kubeadm-config.yaml'
            Copy-Item -LiteralPath $kubeadmFixture $config
            $kubeadmOriginal = [IO.File]::ReadAllBytes($config)
            $more.KubeadmConfigPath = $config
        }
        $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        $more.HealthUri = "http://127.0.0.1:$port/livez"

        $remover = $null
        if ($Manifest -eq 'not restored') {
            # Take the manifest's backup away while the command waits, so that its restore must fail.
            $remover = Start-ThreadJob -ArgumentList $node.Backup -ScriptBlock {
                param($folder)
                $until = [DateTime]::UtcNow.AddSeconds(10)
                while ([DateTime]::UtcNow -lt $until) {
                    $found = @(Get-ChildItem -LiteralPath $folder -Recurse -File -Filter 'kube-apiserver*' -ErrorAction SilentlyContinue)
                    if ($found) { $found | Remove-Item -Force; return $found.FullName }
                    Start-Sleep -Milliseconds 20
                }
            }
        }
        $err = $null
        try { Enable $node $more } catch { $err = $_ }
        $removed = if ($remover) { Receive-Job $remover -Wait -AutoRemoveJob }

        $err.FullyQualifiedErrorId | Should -BeLike 'KubeAudit.ApiServerUnhealthy,*'
        $first = ($err.Exception.Message -split "`r?`n")[0]
        $head = "kube-apiserver did not answer 200 at $($more.HealthUri) within 00:00:02 after $($node.Manifest) was changed; last: "
        $first.StartsWith($head) | Should -BeTrue -Because $first
        $expected = if ($Manifest -eq 'restored') {
            $backup = @(Get-Backups $node | Where-Object Name -like 'kube-apiserver*')
            $backup.Count | Should -Be 1
            " The original manifest was restored from $($backup[0].FullName)."
        }
        else {
            $removed | Should -Not -BeNullOrEmpty
            $why = try { [IO.File]::ReadAllBytes($removed) } catch { $_.Exception.InnerException.Message }
            " The original manifest could NOT be restored (Cannot read the backup ${removed}: $why); copy $removed over it by hand."
        }
        if ($Kubeadm -eq 'restored') {
            $kubeadmBackup = @(Get-Backups $node | Where-Object Name -like 'kubeadm-config*')
            $kubeadmBackup.Count | Should -Be 1
            $expected += " The kubeadm configuration was restored from $($kubeadmBackup[0].FullName)."
            [IO.File]::ReadAllBytes($more.KubeadmConfigPath) | Should -Be $kubeadmOriginal
        }
        $rest = $first.Substring($head.Length)
        $rest.Substring($rest.IndexOf('. The ') + 1) | Should -BeExactly $expected
        if ($Manifest -eq 'restored') { Test-Unchanged $node }
        else { [IO.File]::ReadAllBytes($node.Manifest) | Should -Not -Be $node.Original }
    }
}

Describe 'Enable-KubeApiServerAudit -WhatIf refuses as the real run does' {
    BeforeAll {
        $kubeadmFixture = Join-Path $RepoRoot 'tests/Pester/fixtures/kubeadm/kubeadm-config-v1beta4.yaml'
        function File-At($node, [string] $Relative, [string] $Text = 'x') {
            $file = Join-Path $node.Root $Relative
            New-Item -ItemType Directory -Force (Split-Path $file) | Out-Null
            Set-Content -LiteralPath $file -Value $Text -NoNewline
            $file
        }
    }

    # Each case arranges a node (a different backup folder goes in .Backup: Enable passes it) and returns the extra parameters; the log folder is missing in every case, so a
    # folder the real run makes before it fails shows up in the tree.
    It 'gives <Id> for <Case>, with and without -WhatIf, tree unchanged' -ForEach @(
        @{ Case = 'a backup folder inside the manifests folder'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) $n.Backup = Join-Path $n.Folder 'bk'; @{} } }
        @{ Case = 'a backup folder that is a file'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) $n.Backup = File-At $n 'etc/kubernetes/tmp'; @{} } }
        @{ Case = 'a backup folder under a file'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) File-At $n 'etc/kubernetes/tmp' | Out-Null; $n.Backup = Join-Path $n.Root 'etc/kubernetes/tmp/bk'; @{} } }
        @{ Case = 'a backup folder linked to the manifests folder'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) New-Item -ItemType SymbolicLink -Path $n.Backup -Target $n.Folder | Out-Null; @{} } }
        @{ Case = 'a backup folder under a link to the manifests folder'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) $l = Join-Path $n.Root 'm'; New-Item -ItemType SymbolicLink -Path $l -Target $n.Folder | Out-Null; $n.Backup = Join-Path $l 'bk'; @{} } }
        @{ Case = 'a policy folder that is a file'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) File-At $n 'etc/audit' | Out-Null; @{ PolicyDestination = '/etc/audit/policy.yaml' } } }
        @{ Case = 'a policy folder linked to the manifests folder'; Id = 'KubeAudit.InvalidArgument'; Arrange = { param($n) New-Item -ItemType SymbolicLink -Path (Join-Path $n.Root 'etc/audit') -Target $n.Folder | Out-Null; @{ PolicyDestination = '/etc/audit/policy.yaml' } } }
        @{ Case = 'a policy destination inside the manifests folder'; Id = 'KubeAudit.InvalidArgument'; Arrange = { param($n) @{ PolicyDestination = '/etc/kubernetes/manifests/audit-policy.yaml' } } }
        @{ Case = 'a policy destination that is a folder'; Id = 'KubeAudit.InvalidHostPath'; Arrange = { param($n) New-Item -ItemType Directory $n.Policy | Out-Null; @{} } }
        @{ Case = 'a different policy at the destination'; Id = 'KubeAudit.AuditPolicyConflict'; Arrange = { param($n) File-At $n 'etc/kubernetes/audit-policy.yaml' "apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n- level: None`n" | Out-Null; @{} } }
        @{ Case = 'a different policy, -Force and a backup folder inside the manifests folder'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) File-At $n 'etc/kubernetes/audit-policy.yaml' "apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n- level: None`n" | Out-Null; $n.Backup = Join-Path $n.Folder 'bk'; @{ Force = $true } } }
        @{ Case = 'an invalid policy'; Id = 'KubeAudit.InvalidAuditPolicy'; Arrange = { param($n) @{ PolicyPath = (File-At $n 'p.yaml' "apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n- level: Loud`n") } } }
        @{ Case = 'a policy with invalid UTF-8'; Id = 'KubeAudit.InvalidAuditPolicy'; Arrange = { param($n) $f = Join-Path $n.Root 'p.yaml'; [IO.File]::WriteAllBytes($f, [byte[]]([Text.Encoding]::UTF8.GetBytes("apiVersion: audit.k8s.io/v1`nkind: Policy`n# ") + [byte[]](0xC3, 0x28) + [Text.Encoding]::UTF8.GetBytes("`nrules:`n- level: Metadata`n"))); @{ PolicyPath = $f } } }
        @{ Case = 'a policy with a NUL byte'; Id = 'KubeAudit.InvalidAuditPolicy'; Arrange = { param($n) $f = Join-Path $n.Root 'p.yaml'; [IO.File]::WriteAllBytes($f, [byte[]]([Text.Encoding]::UTF8.GetBytes("apiVersion: audit.k8s.io/v1`nkind: Policy`n# ") + [byte[]](0) + [Text.Encoding]::UTF8.GetBytes("`nrules:`n- level: Metadata`n"))); @{ PolicyPath = $f } } }
        @{ Case = 'a missing -PolicyPath'; Id = 'PathNotFound'; Arrange = { param($n) @{ PolicyPath = Join-Path $n.Root 'none.yaml' } } }
        @{ Case = 'a -PolicyPath that is a folder'; Id = 'KubeAudit.PathIsDirectory'; Arrange = { param($n) @{ PolicyPath = $n.Folder } } }
        @{ Case = 'a log folder that is a file'; Id = 'KubeAudit.InvalidHostPath'; Arrange = { param($n) File-At $n 'var/log/kubernetes/audit' | Out-Null; @{} } }
        @{ Case = 'a log path that is a folder'; Id = 'KubeAudit.InvalidHostPath'; Arrange = { param($n) New-Item -ItemType Directory -Force (Join-Path $n.Root 'var/log/kubernetes/audit/audit.log') | Out-Null; @{} } }
        @{ Case = 'a conflicting flag'; Id = 'KubeAudit.AuditFlagConflict'; Arrange = { param($n) Enable $n @{ MaxAge = 7 } | Out-Null; @{ MaxAge = 9 } } }
        @{ Case = 'a kubeadm v1beta2 file'; Id = 'KubeAudit.NotAKubeadmConfig'; Arrange = { param($n) @{ KubeadmConfigPath = (File-At $n 'etc/kubernetes/kubeadm.yaml' "apiVersion: kubeadm.k8s.io/v1beta2`nkind: ClusterConfiguration`n") } } }
        @{ Case = 'a kubeadm file of invalid YAML'; Id = 'KubeAudit.InvalidYaml'; Arrange = { param($n) @{ KubeadmConfigPath = (File-At $n 'etc/kubernetes/kubeadm.yaml' "apiVersion: kubeadm.k8s.io/v1beta4`nkind: ClusterConfiguration`napiServer: [`n") } } }
        @{ Case = 'a good kubeadm file and a backup folder that is a file'; Id = 'KubeAudit.ManifestWriteFailed'; Arrange = { param($n) $k = Join-Path $n.Root 'etc/kubernetes/kubeadm.yaml'; Copy-Item $kubeadmFixture $k; $n.Backup = File-At $n 'etc/kubernetes/tmp'; @{ KubeadmConfigPath = $k } } }
        @{ Case = 'a -HostRoot and a relative -PolicyDestination'; Id = 'KubeAudit.InvalidArgument'; Arrange = { param($n) @{ PolicyDestination = 'audit-policy.yaml' } } }
    ) {
        $node = New-Node $sample
        $more = & $Arrange $node
        Assert-RefusedAlike $node.Root { param($whatIf) Enable $node ($more + @{ WhatIf = $whatIf }) } $Id
    }

    It 'gives <Id> for a manifest that is <Case>, with and without -WhatIf, tree unchanged' -ForEach @(
        @{ Case = 'missing'; Id = 'PathNotFound'; Text = $null }
        @{ Case = 'a Deployment'; Id = 'KubeAudit.NotAnApiServerPod'; Text = "apiVersion: apps/v1`nkind: Deployment`nmetadata:`n  name: web`n" }
        @{ Case = 'invalid YAML'; Id = 'KubeAudit.InvalidYaml'; Text = "apiVersion: v1`nkind: Pod`nspec: [unclosed`n" }
    ) {
        $node = New-Node $sample
        if ($null -eq $Text) { Remove-Item $node.Manifest } else { [IO.File]::WriteAllText($node.Manifest, $Text) }
        Assert-RefusedAlike $node.Root { param($whatIf) Enable $node @{ WhatIf = $whatIf } } $Id
    }
}

Describe 'Enable-KubeApiServerAudit webhook mode and batch flags' {
    BeforeAll {
        $webhook = @{
            WebhookConfigPath = '/etc/kubernetes/audit-webhook.yaml'; WebhookMode = 'batch'; WebhookBatchMaxSize = 400; WebhookBatchMaxWait = '5s'
            WebhookBatchThrottleQps = 10; WebhookBatchThrottleBurst = 15; WebhookBatchThrottleEnable = $true; WebhookBatchBufferSize = 10000
            WebhookInitialBackoff = [timespan]::FromSeconds(10)
        }
        # The webhook settings with some replaced (a $null value drops one).
        function With([hashtable] $More) {
            $given = $webhook.Clone()
            foreach ($key in $More.Keys) { if ($null -eq $More[$key]) { $given.Remove($key) } else { $given[$key] = $More[$key] } }
            $given
        }
        # The -WhatIf text, which PowerShell writes to the host, from a clean process.
        function Get-WhatIf($node, [string] $Parameters) {
            $run = Invoke-CleanPwsh "Import-Module '$ModuleManifest'; Enable-KubeApiServerAudit -ManifestPath '$($node.Manifest)' -HostRoot '$($node.Root)' -BackupPath '$($node.Backup)' $Parameters -WhatIf"
            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Output -join "`n"
        }
        $webhookText = "-WebhookConfigPath /etc/kubernetes/audit-webhook.yaml -WebhookMode batch -WebhookBatchMaxSize 400 -WebhookBatchMaxWait 5s -WebhookBatchThrottleQps 10 " +
            "-WebhookBatchThrottleBurst 15 -WebhookBatchThrottleEnable -WebhookBatchBufferSize 10000 -WebhookInitialBackoff 10s"
        $expected = '--audit-webhook-batch-buffer-size=10000', '--audit-webhook-batch-max-size=400', '--audit-webhook-batch-max-wait=5s',
            '--audit-webhook-batch-throttle-burst=15', '--audit-webhook-batch-throttle-enable=true', '--audit-webhook-batch-throttle-qps=10',
            '--audit-webhook-config-file=/etc/kubernetes/audit-webhook.yaml', '--audit-webhook-initial-backoff=10s', '--audit-webhook-mode=batch'
    }

    It 'writes each as the API server flag, mounts the config read-only, shows them, is idempotent, and Disable removes them' {
        $node = New-Node $sample
        $config = Enable $node (With @{ PassThru = $true })

        @($config.Flags | Where-Object Name -like 'audit-webhook-*' | ForEach-Object ToString) | Should -Be $expected
        $config.WebhookMode | Should -Be 'batch'
        $config.WebhookBatchMaxWait | Should -Be '5s'
        $config.WebhookInitialBackoff | Should -Be '10s'
        $config.WebhookBatchThrottleQps | Should -Be '10'
        $mount = $config.Mounts | Where-Object MountPath -eq '/etc/kubernetes/audit-webhook.yaml'
        $mount.ReadOnly | Should -BeTrue
        ($config.Volumes | Where-Object Name -eq $mount.Name).Type | Should -Be 'File'

        $enabled = Get-TreeState $node.Root
        Enable $node (With @{ Verbose = $true }) 4>&1 | Out-String | Should -Match 'already configured'
        Get-TreeState $node.Root | Should -Be $enabled

        Disable-KubeApiServerAudit $node.Manifest -BackupPath $node.Backup -Confirm:$false
        [IO.File]::ReadAllBytes($node.Manifest) | Should -Be $node.Original
    }

    It '-WhatIf shows the flags it would add and writes nothing' {
        $node = New-Node $sample
        $before = Get-TreeState $node.Root
        $shown = Get-WhatIf $node $webhookText
        foreach ($flag in $expected) { $shown | Should -Match ([regex]::Escape("+    - $flag")) }
        Get-TreeState $node.Root | Should -Be $before
    }

    It 'refuses <Why> as kube-apiserver would, with -WhatIf and for real alike' -ForEach @(
        @{ Why = 'a zero buffer in batch mode'; More = @{ WebhookBatchBufferSize = 0 }; Message = 'invalid audit batch webhook buffer size 0, must be a positive number' }
        @{ Why = 'a negative QPS while throttling'; More = @{ WebhookBatchThrottleQps = -1 }; Message = 'invalid audit batch webhook throttle QPS -1, must be a positive number' }
        @{ Why = 'a zero burst while throttling'; More = @{ WebhookBatchThrottleBurst = 0 }; Message = 'invalid audit batch webhook throttle burst 0, must be a positive number' }
        @{ Why = 'a zero max batch size'; More = @{ WebhookBatchMaxSize = 0 }; Message = 'invalid audit batch webhook max batch size 0, must be a positive number' }
        @{ Why = 'batch flags without a webhook config'; More = @{ WebhookConfigPath = $null }; Message = 'act only with --audit-webhook-config-file' }
    ) {
        $node = New-Node $sample
        $given = With $More
        Assert-RefusedAlike $node.Root { param($whatIf) $run = $given.Clone(); $run.WhatIf = $whatIf; Enable $node $run } 'KubeAudit.InvalidAuditFlag'
        $err = $null
        try { Enable $node $given } catch { $err = $_ }
        $err.Exception.Message | Should -BeLike "*$Message*"
    }

    It 'accepts what kube-apiserver does not check: batch values in blocking mode, QPS 0 with throttling off' {
        $node = New-Node $sample
        $config = Enable $node (With @{ WebhookMode = 'blocking'; WebhookBatchBufferSize = 0; PassThru = $true })
        $config.WebhookMode | Should -Be 'blocking'
        $config = Enable $node (With @{ WebhookBatchThrottleEnable = $false; WebhookBatchThrottleQps = 0; Force = $true; PassThru = $true })
        $config.WebhookBatchThrottleEnable | Should -Be 'false'
        $config.WebhookBatchThrottleQps | Should -Be '0'
    }

    It 'takes a Go duration or a TimeSpan, and refuses anything else' {
        $node = New-Node $sample
        (Enable $node (With @{ WebhookBatchMaxWait = '1m30s'; PassThru = $true })).WebhookBatchMaxWait | Should -Be '1m30s'
        { Enable-KubeApiServerAudit -ManifestPath $node.Manifest -WebhookBatchMaxWait 'soon' -WhatIf } | Should -Throw '*not a duration such as 30s*'
    }

    It 'keeps a kops manifest whose --audit-webhook-batch-max-wait=5s is given as 5000ms' {
        $node = New-Node (Join-Path $Corpus 'manifests/kops-nodeup-golden-audit-kube-apiserver.manifest.yaml')
        $same = "-PolicyDestination /etc/kubernetes/audit/policy-config.yaml -LogPath /var/log/kube-apiserver-audit.log -MaxAge 10 -MaxBackup 1 -MaxSize 100 " +
            "-WebhookConfigPath /etc/kubernetes/audit/webhook-config.yaml -WebhookBatchMaxWait 5000ms"
        Get-WhatIf $node $same | Should -Match 'kube-apiserver.yaml is already configured'
        Test-Unchanged $node
    }
}
