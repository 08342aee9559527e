BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $policy = Join-Path $RepoRoot 'samples/audit-policy.yaml'
    $log = Join-Path $RepoRoot 'samples/audit.log'
    $events = @(Get-KubeAuditEvent -Path $log)

    function New-Policy([string] $Name, [string] $Rules, [string] $OmitStages = '[]') {
        $path = Join-Path $TestDrive $Name
        Set-Content -LiteralPath $path "apiVersion: audit.k8s.io/v1`nkind: Policy`nomitStages: $OmitStages`nrules:`n$Rules"
        $path
    }

    function Assert-AddsUp($Rows, $Report) {
        ($Rows | Measure-Object EventsBefore -Sum).Sum | Should -Be $Report.EventsRead
        ($Rows | Measure-Object BytesBefore -Sum).Sum | Should -Be $Report.BytesRead
        ($Rows | Measure-Object EventsAfter -Sum).Sum | Should -Be $Report.EventsKept
        ($Rows | Measure-Object BytesAfter -Sum).Sum | Should -Be $Report.BytesKept
    }
}

Describe 'Measure-KubeAuditPolicy' {
    Context 'the sample policy on the sample log' {
        BeforeAll {
            $report = Measure-KubeAuditPolicy -Policy $policy -Path $log
        }

        It 'reads every event, and the bytes of the whole file' {
            $report | Should -BeOfType ([KubeAudit.PolicySizeReport])
            $report.Policy | Should -Be $policy
            $report.EventsRead | Should -Be $events.Count
            $report.BytesRead | Should -Be (Get-Item $log).Length
        }

        It 'has consistent totals' {
            $report.EventsKept | Should -BeLessOrEqual $report.EventsRead
            $report.BytesKept | Should -BeLessOrEqual $report.BytesRead
            $report.EventsKept | Should -BeGreaterThan 0
            $report.EventsKept + $report.DroppedByLevel + $report.DroppedByStage | Should -Be $report.EventsRead
            $report.EventRatio | Should -Be ($report.EventsKept / $report.EventsRead)
            $report.ByteRatio | Should -Be ($report.BytesKept / $report.BytesRead)
        }

        It 'has a ByLevel breakdown that adds up to the totals' {
            Assert-AddsUp $report.ByLevel $report
            $report.ByLevel.Name | Should -Be @('Metadata', 'Request', 'RequestResponse')
            # Before is the level logged.
            ($report.ByLevel | Where-Object Name -eq 'RequestResponse').EventsBefore | Should -Be @($events | Where-Object Level -eq 'RequestResponse').Count
            # The sample policy logs nothing at RequestResponse.
            ($report.ByLevel | Where-Object Name -eq 'RequestResponse').EventsAfter | Should -Be 0
        }

        It 'keeps what Resolve-KubeAuditLevel says is logged' {
            $kept = @($events | Resolve-KubeAuditLevel -Policy $policy | Where-Object { $_.Level -ne 'None' -and $_.Event.Stage -notin $_.OmitStages })
            $report.EventsKept | Should -Be $kept.Count
            $under = @($kept | Where-Object { @('None', 'Metadata', 'Request', 'RequestResponse').IndexOf($_.Level) -gt @('None', 'Metadata', 'Request', 'RequestResponse').IndexOf($_.Event.Level) })
            $report.UnderLogged | Should -Be $under.Count
        }

        It 'lists the -Top largest resources and users, largest first' {
            $top = Measure-KubeAuditPolicy -Policy $policy -Path $log -Top 3
            $top.ByResource.Count | Should -Be 3
            $top.ByUser.Count | Should -Be 3
            $top.ByResource[0].BytesBefore | Should -BeGreaterOrEqual $top.ByResource[1].BytesBefore
            $top.ByResource[1].BytesBefore | Should -BeGreaterOrEqual $top.ByResource[2].BytesBefore
            $leases = $report.ByResource | Where-Object Name -eq 'leases.coordination.k8s.io'
            $leases.EventsBefore | Should -Be @($events | Where-Object { $_.Resource -eq 'leases' }).Count
            $leases.EventsAfter | Should -Be 0
            $all = Measure-KubeAuditPolicy -Policy $policy -Path $log -Top 1000
            Assert-AddsUp $all.ByResource $all
            Assert-AddsUp $all.ByUser $all
        }

        It 'gives the same report for events from the pipeline, files from Get-ChildItem and a policy object' {
            $fromEvents = $events | Measure-KubeAuditPolicy -Policy $policy
            $fromFiles = Get-Item $log | Measure-KubeAuditPolicy -Policy (Get-KubeAuditPolicy $policy)
            $fromWildcard = Measure-KubeAuditPolicy -Policy $policy -Path (Join-Path $RepoRoot 'samples/audit.l?g')
            foreach ($other in $fromEvents, $fromFiles, $fromWildcard) {
                ($other.EventsRead, $other.BytesRead, $other.EventsKept, $other.BytesKept, $other.UnderLogged) |
                    Should -Be @($report.EventsRead, $report.BytesRead, $report.EventsKept, $report.BytesKept, $report.UnderLogged)
            }
        }

        It 'shows a list view with the totals and breakdowns' {
            $text = $report | Out-String -Width 200
            $text | Should -Match 'EventsRead\s+: 2,000'
            $text | Should -Match 'EventsKept\s+: [\d,]+'
            $text | Should -Match 'ByLevel\s+: Metadata: '
            $text | Should -Match 'leases\.coordination\.k8s\.io: 497 -> 0 events'
        }
    }

    Context 'bytes' {
        It 'at Metadata, keeps every event without its bodies' {
            $metadata = New-Policy 'metadata.yaml' '- level: Metadata'
            $report = Measure-KubeAuditPolicy -Policy $metadata -Path $log
            $expected = 0L
            foreach ($e in $events) {
                $size = $e.GetUtf8Json().Length + 1
                if ($e.RequestObject) { $size -= $e.RequestObject.Length + ',"requestObject":'.Length }
                if ($e.ResponseObject) { $size -= $e.ResponseObject.Length + ',"responseObject":'.Length }
                $expected += $size
            }
            $report.EventsKept | Should -Be $events.Count
            $report.BytesKept | Should -Be $expected
            $report.UnderLogged | Should -Be 0
        }

        It 'at RequestResponse, keeps everything, and counts what was logged lower' {
            $full = New-Policy 'full.yaml' '- level: RequestResponse'
            $report = Measure-KubeAuditPolicy -Policy $full -Path $log
            $report.BytesKept | Should -Be $report.BytesRead
            $report.UnderLogged | Should -Be @($events | Where-Object Level -ne 'RequestResponse').Count
        }

        It 'at None, keeps nothing' {
            $none = New-Policy 'none.yaml' '- level: None'
            $report = Measure-KubeAuditPolicy -Policy $none -Path $log
            ($report.EventsKept, $report.BytesKept, $report.DroppedByLevel) | Should -Be @(0, 0, $events.Count)
        }

        It 'drops omitted stages' {
            $stages = New-Policy 'stages.yaml' '- level: RequestResponse' '[ResponseComplete]'
            $report = Measure-KubeAuditPolicy -Policy $stages -Path $log
            $report.DroppedByStage | Should -Be @($events | Where-Object Stage -eq 'ResponseComplete').Count
        }
    }

    Context 'errors' {
        It 'reports a bad line and counts the rest' {
            $mixed = Join-Path $TestDrive 'mixed.log'
            $lines = Get-Content $log -TotalCount 3
            Set-Content $mixed $lines[0], 'not json', $lines[1], $lines[2]
            $report = Measure-KubeAuditPolicy -Policy $policy -Path $mixed -ErrorVariable errs -ErrorAction SilentlyContinue
            $report.EventsRead | Should -Be 3
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.InvalidJson,*'
        }

        It 'stops on an invalid policy before reading' {
            $bad = New-Policy 'bad.yaml' '- level: Everything'
            { Measure-KubeAuditPolicy -Policy $bad -Path $log -ErrorAction Stop } |
                Should -Throw -ErrorId 'KubeAudit.InvalidPolicy,KubeAudit.Commands.MeasureKubeAuditPolicyCommand'
        }

        It 'reports a missing log as PathNotFound and still reports' {
            $report = Measure-KubeAuditPolicy -Policy $policy -Path (Join-Path $TestDrive 'none.log') -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
            $report.EventsRead | Should -Be 0
        }
    }
}
