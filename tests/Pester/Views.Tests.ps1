# Every view in the module's format data, checked on real objects from the commands: each column or list label is a
# property of the object holding what the column shows (so Where-Object <label> and Sort-Object <label> work on what
# the user sees), and each table fits 80 columns without wrapping a header. Views are read from the format file, so
# a view added later is checked without touching this file; a view whose type has no producer here fails.
BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $formatFile = Join-Path (Split-Path $ModuleManifest) 'KubeAudit.Format.ps1xml'
    [xml] $format = Get-Content -Raw $formatFile
    $script:Views = foreach ($view in $format.Configuration.ViewDefinitions.View) {
        $columns = if ($view.TableControl) {
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
            for ($i = 0; $i -lt $items.Count; $i++) {
                @{ Label = if ($headers[$i].Label) { $headers[$i].Label } else { $items[$i].PropertyName }
                   Property = $items[$i].PropertyName; ScriptBlock = $items[$i].ScriptBlock; FormatString = $items[$i].FormatString }
            }
        }
        else {
            foreach ($item in @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem)) {
                @{ Label = if ($item.Label) { $item.Label } else { $item.PropertyName }
                   Property = $item.PropertyName; ScriptBlock = $item.ScriptBlock; FormatString = $item.FormatString }
            }
        }
        @{ Name = $view.Name; Type = $view.ViewSelectedBy.TypeName; Kind = if ($view.TableControl) { 'Table' } else { 'List' }; Columns = @($columns) }
    }
    $script:TableViews = @($Views | Where-Object Kind -EQ 'Table')
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $traces = Join-Path $Corpus 'events/falco-k8s_audit-traces'
    $guide = Join-Path $Corpus 'policies/guide-example-policy.yaml'
    $eventFiles = @((Join-Path $RepoRoot 'samples/audit.log'), (Join-Path $Corpus 'events/audit2rbac-demo.log')) + @(Get-ChildItem $traces -Filter *.json | Select-Object -ExpandProperty FullName)
    $events = @(Get-KubeAuditEvent -LiteralPath $eventFiles -ErrorAction SilentlyContinue)
    $configs = @(Get-ChildItem (Join-Path $Corpus 'manifests') | Get-KubeApiServerAuditConfig -ErrorAction SilentlyContinue)
    $size = Measure-KubeAuditPolicy -Policy $guide -Path (Join-Path $RepoRoot 'samples/audit.log') -ErrorAction SilentlyContinue

    # What the commands give for each type a view is for.
    $script:Produced = @{
        'KubeAudit.AuditEvent'                 = $events
        'KubeAudit.ThreatFinding'              = @($events | Find-KubeAuditThreat -ErrorAction SilentlyContinue)
        'KubeAudit.ThreatRule'                 = @(Get-KubeAuditThreatRule) + @(Get-KubeAuditThreatRule -RulePath (Join-Path $RepoRoot 'samples/threat-rules.yaml'))
        'KubeAudit.PolicyFinding'              = @(Get-ChildItem (Join-Path $Corpus 'policies') | Test-KubeAuditPolicy -Detailed -ErrorAction SilentlyContinue)
        'KubeAudit.AuditLevelDecision'         = @($events | Resolve-KubeAuditLevel -Policy $guide)
        'KubeAudit.AuditLevelDecision#Request' = @(
            Resolve-KubeAuditLevel -Policy $guide -Verb get -Resource pods -Subresource log -Namespace default -User alice
            Resolve-KubeAuditLevel -Policy $guide -Verb get -NonResourceUrl /healthz)
        'KubeAudit.PolicySizeReport'           = @($size)
        'KubeAudit.PolicySizeRow'              = @($size.ByLevel) + @($size.ByResource) + @($size.ByUser)
        'KubeAudit.ApiServerAuditConfig'       = $configs
        'KubeAudit.ManifestProblem'            = @($configs.Problems)
        'KubeAudit.ComplianceCheck'            = @(Get-KubeAuditComplianceCheck)
        # A store that is not there still gives the summary (all failed), without a server.
        'KubeAudit.SendSummary'                = @($events | Send-KubeAuditEvent -Uri 'http://127.0.0.1:9' -Engine ClickHouse -Table audit -MaxRetries 0 -ErrorAction SilentlyContinue)
        'KubeAudit.AuditPolicyRule'            = @(Get-ChildItem (Join-Path $Corpus 'policies') -Filter *.yaml | Get-KubeAuditPolicy -ErrorAction SilentlyContinue).Rules
    }
    $rbacLog = Join-Path $RepoRoot 'tests/Pester/fixtures/rbac/audit.log'
    $demo = Join-Path $Corpus 'events/audit2rbac-demo.log'
    $rbac = @(
        New-KubeAuditRbacPolicy -LiteralPath $demo -ServiceAccount ns1:sa1 -AsObject
        New-KubeAuditRbacPolicy -LiteralPath $rbacLog -User alice -AsObject -ErrorAction SilentlyContinue)
    $Produced['KubeAudit.Core.Rbac.RbacRole'] = $rbac
    $Produced['KubeAudit.Core.Rbac.RbacBinding'] = $rbac
    $Produced['KubeAudit.Core.Rbac.RbacRuleExplanation'] = @(New-KubeAuditRbacPolicy -LiteralPath $demo -ServiceAccount ns1:sa1 -Explain)
    $Produced['KubeAudit.Core.Rbac.RbacPermissionUsage'] = @(
        Compare-KubeAuditRbac -RbacPath (Join-Path $RepoRoot 'tests/Pester/fixtures/rbac/cluster-rbac.yaml') -Path $rbacLog -ErrorAction SilentlyContinue)
    # Invoke-KubeAuditCompliance runs Pester, which cannot run inside this Pester run: its view is checked in a child below.

    # A value as one line of text: null is empty, lists are their items joined, a format string applies.
    function Format-Value($Value, [string] $FormatString) {
        if ($null -eq $Value) { return '' }
        if ($Value -is [string]) { return $Value }
        if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [System.Collections.IDictionary]) {
            return @($Value | ForEach-Object { Format-Value $_ $FormatString })
        }
        if ($FormatString) { return [string]::Format("{0:$FormatString}", $Value) }
        return $Value.ToString()
    }

    # Problems of one object against one view: labels that are not properties, cells that show other than the property.
    function Test-ViewColumns($Object, $Columns) {
        foreach ($column in $Columns) {
            $label = $column.Label
            if ($null -eq $Object.PSObject.Properties[$label]) { "'$label' is not a property"; continue }
            $expected = Format-Value $Object.$label $column.FormatString
            $cell = if ($column.ScriptBlock) {
                $variables = [System.Collections.Generic.List[psvariable]]::new()
                $variables.Add([psvariable]::new('_', $Object))
                $shown = ([scriptblock]::Create($column.ScriptBlock)).InvokeWithContext($null, $variables)
                Format-Value $(if ($shown.Count -eq 1) { $shown[0] } else { $shown }) $column.FormatString
            }
            else { Format-Value $Object.($column.Property) $column.FormatString }
            $cellText = (@($cell) -join "`n") -replace '\e\[[0-9;]*m', ''
            $accepted = @(@($expected) -join ', '; @($expected) -join "`n")
            # A blank cell may stand for an unknown 0 (a line number) or an empty value.
            # A long value may give up its start for its end ('…:kube-system:replicaset-controller'), as the table gives up ends.
            $elided = $cellText.Length -gt 1 -and $cellText[0] -eq [char]0x2026 -and "$expected".EndsWith($cellText.Substring(1), [StringComparison]::Ordinal)
            if ($cellText -notin $accepted -and -not $elided -and -not ($cellText -eq '' -and "$expected" -in '', '0')) {
                "'$label' shows '$cellText' but the property holds '$($accepted[0])'"
            }
        }
    }
}

Describe 'View <Name> (<Kind>)' -ForEach $Views {
    BeforeAll {
        $objects = if ($Produced.ContainsKey($Type)) { @($Produced[$Type] | Where-Object { $_.PSObject.TypeNames -contains $Type }) }
    }

    It 'has objects from the commands to check' {
        $Produced.Keys + 'KubeAudit.ComplianceResult' | Should -Contain $Type -Because 'every view needs a producer in this test'
        if ($Type -ne 'KubeAudit.ComplianceResult') { $objects.Count | Should -BeGreaterThan 0 }
    }

    It 'labels every column with a property that holds what the column shows' -Skip:($Type -eq 'KubeAudit.ComplianceResult') {
        $problems = @(foreach ($object in $objects) { Test-ViewColumns $object $Columns }) | Select-Object -Unique
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'Table <Name> at 80 and 120 columns' -ForEach $TableViews {
    BeforeAll {
        $objects = @($Produced[$Type] | Where-Object { $_.PSObject.TypeNames -contains $Type } | Select-Object -First 30)
        $labels = @($Columns.Label)
    }

    It 'shows every column header whole, in one line, within <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $lines = @(($objects | Format-Table -View $Name | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_ -match '\S' })
        # The header is the line above the dashes (a group heading may come before it).
        $dashes = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '^\s*-+(\s+-+)*\s*$' })
        $header = $lines[$dashes - 1]
        -split $header | Should -Be $labels
        $lines | Where-Object { $_.Length -gt $Width } | Should -BeNullOrEmpty
    }
}

Describe 'Properties behind the columns' {
    It 'finds events by the user name the table shows, and sorts and groups by it' {
        $admins = @($Produced['KubeAudit.AuditEvent'] | Where-Object User -EQ 'minikube-user')
        $admins.Count | Should -BeGreaterThan 0
        $admins | ForEach-Object { $_.User.Username | Should -Be 'minikube-user' }
        ($Produced['KubeAudit.AuditEvent'] | Where-Object User -Like 'system:*').Count | Should -BeGreaterThan 0
        $sorted = @($Produced['KubeAudit.AuditEvent'] | Sort-Object User | ForEach-Object { "$($_.User)" })
        $sorted | Should -Be @($sorted | Sort-Object)
        ($Produced['KubeAudit.AuditEvent'] | Group-Object User).Name | Should -Contain 'minikube-user'
        $Produced['KubeAudit.AuditEvent'][0].User.Groups | Should -Not -BeNullOrEmpty
    }

    It 'filters Get-KubeAuditEvent by -Code, the name of the property it filters on' {
        $log = Join-Path $RepoRoot 'samples/audit.log'
        $byCode = @(Get-KubeAuditEvent $log -Code 403 -ErrorAction SilentlyContinue)
        $byCode.Count | Should -Be @(Get-KubeAuditEvent $log -ErrorAction SilentlyContinue | Where-Object Code -EQ 403).Count
        @(Get-KubeAuditEvent $log -StatusCode 403 -ErrorAction SilentlyContinue).Count | Should -Be $byCode.Count -Because '-StatusCode stays as an alias'
    }

    It 'gives a finding a description that leads with the action, not the user shown beside it' {
        $findings = @($Produced['KubeAudit.ThreatFinding'] | Where-Object { $_.User })
        $findings.Count | Should -BeGreaterThan 0
        $findings | Where-Object { $_.Description.StartsWith($_.User) } | ForEach-Object { "$($_.Rule): $($_.Description)" } | Should -BeNullOrEmpty
    }

    It 'keeps a service account recognisable in the event table at 120 columns' {
        $sa = $Produced['KubeAudit.AuditEvent'] | Where-Object { "$($_.User)".Length -ge 40 -and "$($_.User)" -like 'system:serviceaccount:*' } | Select-Object -First 1
        $sa | Should -Not -BeNullOrEmpty
        $text = $sa | Out-String -Width 120
        $text | Should -Match ([regex]::Escape("$($sa.User)".Substring(0, 40)))
    }
    It 'keeps the end of a long service account in the findings table at 120 columns, where the names differ' {
        $log = Join-Path $TestDrive 'sa-findings.log'
        $sa = 'system:serviceaccount:kube-system:replicaset-controller'
        $body = '{"kind":"Pod","spec":{"containers":[{"name":"agent","image":"busybox","securityContext":{"privileged":true}}]}}'
        Set-Content $log ('{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"e1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods","verb":"create","user":{"username":"' + $sa + '"},"objectRef":{"resource":"pods","namespace":"default","name":"debug","apiVersion":"v1"},"responseStatus":{"code":201},"requestObject":' + $body + ',"requestReceivedTimestamp":"2026-01-05T08:00:00.000000Z","stageTimestamp":"2026-01-05T08:00:00.100000Z"}')
        $finding = Find-KubeAuditThreat -LiteralPath $log -Rule Pod.Privileged -NoDefaultAllowList
        $finding.User | Should -Be $sa
        $table = $finding | Format-Table | Out-String -Width 120
        $table | Should -Match ([regex]::Escape(':kube-system:replicaset-controller'))
        $table | Should -Match 'created pod default/debug'
        ($table -split "`n" | Where-Object { $_.Length -gt 120 }) | Should -BeNullOrEmpty
    }
}

Describe 'View KubeAudit.ComplianceResult on a real run' {
    It 'labels every list item with a property that holds what it shows' {
        $columns = ($Views | Where-Object Type -EQ 'KubeAudit.ComplianceResult').Columns
        $pester = Join-Path $Packages 'pester/5.7.1/tools/Pester.psd1'
        $manifest = Join-Path $RepoRoot 'samples/kube-apiserver.yaml'
        $checker = "function Format-Value { ${function:Format-Value} }`nfunction Test-ViewColumns { ${function:Test-ViewColumns} }"
        $columnsJson = ConvertTo-Json @($columns) -Depth 3 -Compress
        $script = @"
Import-Module '$pester'
Import-Module '$ModuleManifest'
$checker
`$r = Invoke-KubeAuditCompliance -ManifestPath '$manifest' -PassThru -ErrorAction SilentlyContinue 3>`$null 6>`$null
`$columns = '$($columnsJson -replace "'", "''")' | ConvertFrom-Json
'RESULT:' + (@(Test-ViewColumns `$r `$columns) -join ' | ')
'CHECKS:' + `$r.Checks.Count
"@
        $run = Invoke-CleanPwsh $script
        $checks = $run.Output | Where-Object { $_ -like 'CHECKS:*' }
        $checks | Should -Not -BeNullOrEmpty -Because ($run.Output -join "`n")
        [int]($checks -replace 'CHECKS:') | Should -BeGreaterThan 0
        ($run.Output | Where-Object { $_ -like 'RESULT:*' }) | Should -Be 'RESULT:'
    }
}
