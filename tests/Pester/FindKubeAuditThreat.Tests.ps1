# Find-KubeAuditThreat and Get-KubeAuditThreatRule on Falco's k8s_audit traces and the generated sample.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $traces = Join-Path $Corpus 'events/falco-k8s_audit-traces'
    $sample = Join-Path $RepoRoot 'samples/audit.log'
    $lines = [IO.File]::ReadAllLines($sample)

    # One small realistic event per line, for live and negative tests.
    function New-EventLine([string] $Verb, [string] $Resource, [string] $Subresource, [string] $Namespace, [string] $Name, [string] $User = 'mallory', [int] $Code = 200, [string] $Uri) {
        $ref = @{ resource = $Resource; namespace = $Namespace; name = $Name; apiVersion = 'v1' }
        if ($Subresource) { $ref.subresource = $Subresource }
        [ordered]@{
            kind = 'Event'; apiVersion = 'audit.k8s.io/v1'; level = 'Request'; auditID = [guid]::NewGuid().ToString(); stage = 'ResponseComplete'
            requestURI = if ($Uri) { $Uri } else { "/api/v1/namespaces/$Namespace/$Resource/$Name" + $(if ($Subresource) { "/$Subresource" }) }
            verb = $Verb; user = @{ username = $User; groups = @('system:authenticated') }; sourceIPs = @('203.0.113.9')
            objectRef = $ref; responseStatus = @{ metadata = @{}; code = $Code }
            requestReceivedTimestamp = '2026-01-05T08:00:00.000000Z'; stageTimestamp = '2026-01-05T08:00:00.100000Z'
        } | ConvertTo-Json -Compress -Depth 5
    }
}

Describe 'Find-KubeAuditThreat over the Falco traces' {
    BeforeAll {
        $findings = @(Find-KubeAuditThreat -Path $traces -ErrorVariable readErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $byFile = $findings | Group-Object { Split-Path -Leaf $_.File } -AsHashTable -AsString
    }

    It 'fires <Rule> for <File>' -ForEach @(
        @{ File = 'exec_pod.json'; Rule = 'Pod.Exec' }
        @{ File = 'attach_pod.json'; Rule = 'Pod.Attach' }
        @{ File = 'create_nginx_pod_privileged.json'; Rule = 'Pod.Privileged' }
        @{ File = 'create_nginx_pod_hostnetwork.json'; Rule = 'Pod.HostNamespace' }
        @{ File = 'create_nginx_pod_sensitive_mount.json'; Rule = 'Pod.SensitiveHostPath' }
        @{ File = 'create_configmap_sensitive_values.json'; Rule = 'ConfigMap.Credentials' }
        @{ File = 'attach_cluster_admin_role.json'; Rule = 'Rbac.ClusterAdminBinding' }
        @{ File = 'create_cluster_role_wildcard_verbs.json'; Rule = 'Rbac.WildcardRole' }
        @{ File = 'anonymous_creates_namespace_foo.json'; Rule = 'Auth.AnonymousAllowed' }
        @{ File = 'delete_namespace_foo.json'; Rule = 'Namespace.Deleted' }
        @{ File = 'create_nginx_service_nodeport.json'; Rule = 'Service.NodePort' }
    ) {
        $byFile[$File].Rule | Should -Contain $Rule
    }

    It 'fires nothing for <File>' -ForEach @(
        @{ File = 'create_nginx_pod_unprivileged.json' }
        @{ File = 'create_configmap_no_sensitive_values.json' }
        @{ File = 'create_deployment.json' }
        @{ File = 'create_clusterrolebinding.json' }
    ) {
        $byFile[$File] | Should -BeNullOrEmpty
    }

    It 'reports the malformed trace as one error and reads on' {
        $readErrors.Count | Should -Be 1
        $readErrors[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.InvalidEventField*'
        $readErrors[0].TargetObject.File | Should -BeLike '*fal_01_003.json'
        ($findings | Where-Object { $_.File -like '*some-user*' -or $_.File -like '*delete_namespace*' }) | Should -Not -BeNullOrEmpty
    }

    It 'writes typed findings with the event, technique and a readable description' {
        $exec = $findings | Where-Object Rule -eq 'Pod.Exec'
        $exec | Should -BeOfType ([KubeAudit.ThreatFinding])
        $exec.Severity | Should -Be ([KubeAudit.ThreatSeverity]::High)
        $exec.Technique | Should -Be 'T1609'
        $exec.Event | Should -BeOfType ([KubeAudit.AuditEvent])
        $exec.Description | Should -Be 'ran a command in pod default/nginx-deployment-7998647bdf-phvq7: bash (container nginx1)'
    }

    It 'gives the same findings for events from the pipeline as for -Path' {
        $fromPipe = @(Get-ChildItem $traces -Filter *.json | Sort-Object Name | Get-KubeAuditEvent -ErrorAction SilentlyContinue | Find-KubeAuditThreat -WarningAction SilentlyContinue)
        $fromPath = @(Get-ChildItem $traces -Filter *.json | Sort-Object Name | Find-KubeAuditThreat -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $fromPipe.Count | Should -BeGreaterThan 20
        ($fromPipe | ForEach-Object { "$($_.Rule) $($_.Event.AuditId)" }) | Should -Be ($fromPath | ForEach-Object { "$($_.Rule) $($_.Event.AuditId)" })
    }

    It 'reads paths piped as strings, and still takes piped events as events' {
        $key = { "$($_.Rule) $($_.Event.AuditId) $($_.Event.Line)" }
        $fromPath = @(Find-KubeAuditThreat -Path $sample -WarningAction SilentlyContinue)
        $fromString = @($sample | Find-KubeAuditThreat -ErrorVariable stringErrors -WarningAction SilentlyContinue)
        $fromEvents = @(Get-KubeAuditEvent $sample | Find-KubeAuditThreat -ErrorVariable eventErrors -WarningAction SilentlyContinue)
        $fromPath.Count | Should -BeGreaterThan 5
        $stringErrors | Should -BeNullOrEmpty
        $eventErrors | Should -BeNullOrEmpty -Because 'an event must bind to InputObject, not to Path as its text'
        ($fromString | ForEach-Object $key) | Should -Be ($fromPath | ForEach-Object $key)
        ($fromEvents | ForEach-Object $key) | Should -Be ($fromPath | ForEach-Object $key)
    }
}

Describe 'Find-KubeAuditThreat options' {
    It 'leaves out rules with -ExcludeRule and keeps only some with -Rule' {
        $all = @(Find-KubeAuditThreat -Path $traces -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $noPods = @(Find-KubeAuditThreat -Path $traces -ExcludeRule 'Pod.*' -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $rbac = @(Find-KubeAuditThreat -Path $traces -Rule 'Rbac.*' -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $noPods.Rule | Should -Not -BeLike 'Pod.*'
        $noPods.Count | Should -BeLessThan $all.Count
        $rbac.Rule | ForEach-Object { $_ | Should -BeLike 'Rbac.*' }
        $rbac.Count | Should -BeGreaterThan 0
    }

    It 'honours -AllowUser, -AllowNamespace and -MinimumSeverity' {
        @(Find-KubeAuditThreat -Path $traces -AllowUser 'minikube-*' -ErrorAction SilentlyContinue -WarningAction SilentlyContinue).User | Should -Not -Contain 'minikube-user'
        @(Find-KubeAuditThreat -Path $traces -AllowNamespace default -ErrorAction SilentlyContinue -WarningAction SilentlyContinue).Namespace | Should -Not -Contain 'default'
        @(Find-KubeAuditThreat -Path $traces -MinimumSeverity Critical -ErrorAction SilentlyContinue -WarningAction SilentlyContinue).Rule | Should -Be @('Rbac.ClusterAdminBinding')
    }

    It 'allows system identities by default and reports them with -NoDefaultAllowList' {
        $log = Join-Path $TestDrive 'controller.log'
        Set-Content $log (New-EventLine get secrets '' kube-system bootstrap-token-x -User system:kube-controller-manager)
        @(Find-KubeAuditThreat -Path $log) | Should -BeNullOrEmpty
        (Find-KubeAuditThreat -Path $log -NoDefaultAllowList).Rule | Should -Be 'Secret.ReadByUnusualIdentity'
    }

    It 'warns once per run, with the count, when body rules meet a Metadata log' {
        $null = Find-KubeAuditThreat -Path $sample -WarningVariable one -WarningAction SilentlyContinue
        $one.Count | Should -Be 1
        "$($one[0])" | Should -Match '(\d+) events could not be inspected by rules that need request bodies: .*ConfigMap.Credentials \(\d+\)'
        $count = [int]([regex]::Match("$($one[0])", '(\d+) events could not').Groups[1].Value)
        $copy = Join-Path $TestDrive 'copy.log'
        Copy-Item $sample $copy
        $null = Find-KubeAuditThreat -Path $sample, $copy -WarningVariable two -WarningAction SilentlyContinue
        $two.Count | Should -Be 1 -Because 'two files and several rules still make one warning'
        "$($two[0])" | Should -Match "^$([regex]::Escape($sample)):\d+: $(2 * $count) events could not be inspected"
    }

    It 'finds a burst of 403s with a lower threshold' {
        $log = Join-Path $TestDrive 'burst.log'
        Set-Content $log (1..4 | ForEach-Object { New-EventLine list secrets '' default '' -Code 403 })
        @(Find-KubeAuditThreat -Path $log) | Should -BeNullOrEmpty
        (Find-KubeAuditThreat -Path $log -BurstThreshold 4).Rule | Should -Be 'Auth.FailureBurst'
    }

    It 'reads rotated and compressed history' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'rotated')
        $gz = [IO.File]::Create((Join-Path $dir 'audit-2026-01-05T08-05-00.000.log.gz'))
        $zip = [IO.Compression.GZipStream]::new($gz, [IO.Compression.CompressionLevel]::Fastest)
        $bytes = [Text.Encoding]::UTF8.GetBytes((Get-Content -Raw (Join-Path $traces 'exec_pod.json')))
        $zip.Write($bytes, 0, $bytes.Length); $zip.Dispose(); $gz.Dispose()
        Copy-Item (Join-Path $traces 'attach_pod.json') (Join-Path $dir 'audit.log')
        (Find-KubeAuditThreat -LiteralPath $dir).Rule | Should -Be @('Pod.Exec', 'Pod.Attach')
    }
}

Describe 'User rules' {
    It 'loads YAML rules, their allow-lists and disabled rules' {
        $rules = @(Get-KubeAuditThreatRule -RulePath (Join-Path $RepoRoot 'samples/threat-rules.yaml'))
        ($rules | Where-Object Name -like 'Custom.*').Count | Should -Be 3
        ($rules | Where-Object Name -eq 'Workload.Proxy').Enabled | Should -BeFalse
        $found = @(Find-KubeAuditThreat -Path $sample -RulePath (Join-Path $RepoRoot 'samples/threat-rules.yaml') -Rule Custom.* -WarningAction SilentlyContinue)
        $found.Rule | Should -Contain 'Custom.PodDeletedByPerson'
        ($found | Where-Object Rule -eq 'Custom.PodDeletedByPerson').User | Should -Not -BeLike 'system:*'
    }

    It 'reports YAML errors with the file and line and keeps the good rules' {
        $file = Join-Path $TestDrive 'rules.yaml'
        Set-Content $file "rules:`n  - name: Good`n    condition: { verb: delete }`n  - name: Bad`n    severity: Urgent`n    condition: { verb: delete }"
        $rules = @(Get-KubeAuditThreatRule -RulePath $file -ErrorVariable bad -ErrorAction SilentlyContinue)
        $rules.Name | Should -Contain 'Good'
        $rules.Name | Should -Not -Contain 'Bad'
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.InvalidThreatRule*'
        $bad[0].TargetObject.Line | Should -Be 5
    }

    It 'runs script-block rules from a .ps1 file' {
        $file = Join-Path $TestDrive 'rules.ps1'
        Set-Content $file "@{ Name = 'Custom.Deletes'; Severity = 'Low'; Description = '{user} deleted {resource} {target}: {detail}'; Condition = { if (`$_.Verb -eq 'delete') { 'gone' } } }"
        $found = @(Find-KubeAuditThreat -Path $traces -RulePath $file -Rule Custom.Deletes -ErrorAction SilentlyContinue)
        $found.Count | Should -Be 9 -Because "nine traces delete something"
        $found[0].Severity | Should -Be 'Low'
        $found.Description | Should -Contain 'minikube-user deleted configmaps default/my-config: gone'
    }

    It 'warns for a rule whose pattern times out on a crafted URL, keeps every other finding, and switches the rule off' {
        $hostile = '/api/v1/namespaces/app/pods/web-0/exec?command=' + ('a' * 40) + '!'
        $log = Join-Path $TestDrive 'hostile.log'
        Set-Content $log (@(1..5 | ForEach-Object { New-EventLine create pods exec app web-0 -Code 101 -Uri $hostile }) + (New-EventLine delete pods '' app web-1))
        $file = Join-Path $TestDrive 'hostile.yaml'
        Set-Content $file "rules:`n  - name: Custom.Uri`n    condition:`n      requestURI: { matches: '^(?=/api/v1/namespaces/app/pods/web-0/exec\?command=(a+)+$)' }"
        $found = @(Find-KubeAuditThreat -Path $log -RulePath $file -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop)
        @($found | Where-Object Rule -eq 'Pod.Exec').Count | Should -Be 5
        @($warned | Where-Object { "$_" -match 'Rule Custom.Uri failed on the event' }).Count | Should -Be 3
        @($warned | Where-Object { "$_" -match 'Custom.Uri .*switched off' }).Count | Should -Be 1
    }

    It 'keeps the built-in rules when a rule file does not parse, even one that would disable them' {
        $file = Join-Path $TestDrive 'unparsable.yaml'
        Set-Content $file "rules:`n- {name: [x`n- name: y`ndisable: ['*']"
        $found = @(Find-KubeAuditThreat -Path (Join-Path $traces 'exec_pod.json') -RulePath $file -ErrorVariable bad -ErrorAction SilentlyContinue)
        $found.Rule | Should -Contain 'Pod.Exec'
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.InvalidYaml*'
        $bad[0].Exception.Message | Should -Match 'not closed'
    }

    It 'reports a failing script-block rule once' {
        $file = Join-Path $TestDrive 'broken.ps1'
        Set-Content $file "@{ Name = 'Custom.Broken'; Condition = { throw 'boom' } }"
        $null = Find-KubeAuditThreat -Path $sample -RulePath $file -Rule Custom.Broken -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.ThreatRuleFailed*'
    }
}

Describe 'Get-KubeAuditThreatRule' {
    It 'lists at least 20 built-in rules, each with a severity and description' {
        $rules = @(Get-KubeAuditThreatRule)
        $rules.Count | Should -BeGreaterOrEqual 20
        $rules | ForEach-Object { $_.Source | Should -Be 'BuiltIn'; $_.Description | Should -Not -BeNullOrEmpty }
        ($rules | Where-Object NeedsRequestBodies).Name | Should -Contain 'ConfigMap.Credentials'
    }

    It 'filters by name and marks excluded rules' {
        (Get-KubeAuditThreatRule -Name Pod.E*).Name | Should -Be @('Pod.Exec', 'Pod.EphemeralContainer')
        (Get-KubeAuditThreatRule -Name Pod.Exec -ExcludeRule Pod.*).Enabled | Should -BeFalse
    }

    It 'completes rule names' {
        $result = TabExpansion2 -inputScript 'Find-KubeAuditThreat -Rule Rbac.Cl' -cursorColumn 'Find-KubeAuditThreat -Rule Rbac.Cl'.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'Rbac.ClusterAdminBinding'
    }
}

Describe 'Find-KubeAuditThreat -Follow' {
    It 'reports a finding as soon as the event is appended, and stops cleanly' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'live')
        $log = Join-Path $dir 'audit.log'
        [IO.File]::WriteAllLines($log, [string[]]$lines[0..99])
        $results = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $follow = Start-Background { param($Log, $Results) Find-KubeAuditThreat -Path $Log -Follow -Tail 0 -Rule Pod.Exec, Namespace.Deleted | ForEach-Object { $Results.Enqueue($_) } } $log, $results
        try {
            Start-Sleep -Milliseconds 500
            [IO.File]::AppendAllLines($log, [string[]]($lines[100..199] + (New-EventLine create pods exec app-shop cart-0 -Code 101 -Uri '/api/v1/namespaces/app-shop/pods/cart-0/exec?command=sh')))
            $null = Wait-Until { $results.Count -ge 1 }
            $results.Count | Should -Be 1
            [IO.File]::AppendAllLines($log, [string[]](New-EventLine delete namespaces '' app-shop app-shop))
            $null = Wait-Until { $results.Count -ge 2 }
            @($results.ToArray()).Rule | Should -Be @('Pod.Exec', 'Namespace.Deleted')
            @($results.ToArray())[0].Description | Should -Be 'ran a command in pod app-shop/cart-0: sh'
        }
        finally {
            Stop-Background $follow | Should -BeTrue -Because 'Ctrl+C must end -Follow promptly'
        }
    }

    It 'warns once about bodies it could not inspect, when the follow has caught up, though Ctrl+C ends it' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'live-metadata')
        $log = Join-Path $dir 'audit.log'
        Copy-Item $sample $log
        $follow = Start-Background { param($Log) Find-KubeAuditThreat -Path $Log -Follow } $log
        $warnings = $follow.PowerShell.Streams.Warning
        try {
            $null = Wait-Until { $warnings.Count -ge 1 }
            $warnings.Count | Should -Be 1 -Because 'the warning must not wait for an end a follow never reaches'
            "$($warnings[0])" | Should -Match '^.+:\d+: \d+ events could not be inspected by rules that need request bodies: .*counted until the follow first reached the end of the log'
            [IO.File]::AppendAllLines($log, [string[]](Get-Content $sample -TotalCount 50))
            Start-Sleep -Milliseconds 600
        }
        finally {
            Stop-Background $follow -KeepStreams | Should -BeTrue
            $warnings.Count | Should -Be 1 -Because 'once per run, also when more such events follow'
            $follow.PowerShell.Dispose()
        }
    }
}

Describe 'ThreatFinding views' {
    It 'shows a table with severity, rule, user and description, and a list' {
        $finding = Find-KubeAuditThreat -Path (Join-Path $traces 'attach_cluster_admin_role.json')
        $table = $finding | Format-Table | Out-String -Width 200
        $table | Should -Match 'Severity'
        $table | Should -Match 'Critical\s+Rbac.ClusterAdminBinding\s+minikube-user\s+bound cluster-admin to User minikube'
        $list = $finding | Format-List | Out-String -Width 200
        $list | Should -Match 'Technique\s+: T1098.006'
        $list | Should -Match 'TechniqueName\s+: Account Manipulation: Additional Container Cluster Roles'
        $list | Should -Match 'Location\s+: .*attach_cluster_admin_role.json:1'
    }
}

Describe 'Get-KubeAuditThreatRule -Name' {
    It 'reports a name without wildcards that matches no rule' {
        $null = Get-KubeAuditThreatRule -Name Pod.Nope, Nothing.* -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.ThreatRuleNotFound*'
    }
}
