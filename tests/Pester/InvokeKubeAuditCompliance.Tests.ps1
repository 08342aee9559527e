# Invoke-KubeAuditCompliance runs Pester; Pester inside a running Pester test is unsafe, so every run here
# happens in a fresh pwsh that imports the Pester version under test (5.7.1 and 6.2.0) from NuGet's folder.
BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $script:Versions = @(@{ Version = '5.7.1' }, @{ Version = '6.2.0' })
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/kube-apiserver.yaml'
    $guide = Join-Path $Corpus 'policies/guide-example-policy.yaml'
    $kops = Join-Path $Corpus 'manifests/kops-nodeup-golden-audit-kube-apiserver.manifest.yaml'

    # A compliant node in TestDrive: the sample manifest enabled with the defaults, a 0700 log folder with a fresh 0600 log.
    function New-CompliantNode {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $manifest = Join-Path $root 'etc/kubernetes/manifests/kube-apiserver.yaml'
        $null = New-Item -ItemType Directory -Force (Split-Path $manifest)
        Copy-Item $sample $manifest
        Enable-KubeApiServerAudit -ManifestPath $manifest -HostRoot $root -BackupPath (Join-Path $root 'etc/kubernetes/tmp') -Confirm:$false
        $log = New-Item -ItemType Directory -Force (Join-Path $root 'var/log/kubernetes/audit')
        Set-Content (Join-Path $log 'audit.log') '{}'
        if (-not $IsWindows) { chmod 0700 $log.FullName; chmod 0600 (Join-Path $log 'audit.log') }
        [pscustomobject]@{ Manifest = $manifest; Policy = Join-Path $root 'etc/kubernetes/audit-policy.yaml'; Log = $log.FullName }
    }

    function Get-PesterPath([string] $Version) { Join-Path $Packages "pester/$Version/tools/Pester.psd1" }

    # Runs the suite in a child pwsh with -PassThru; returns the summary, whether $? was false, and the errors.
    function Invoke-Suite([string] $Version, [string] $Arguments) {
        $json = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N')).json"
        $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$(Get-PesterPath $Version)'
Import-Module '$ModuleManifest'
`$r = Invoke-KubeAuditCompliance $Arguments -PassThru -ErrorVariable problems
`$ok = `$?
[pscustomobject]@{
    Ok = `$ok
    Errors = @(`$problems | ForEach-Object { `$_.FullyQualifiedErrorId + ': ' + `$_.Exception.Message })
    Result = `$r | Select-Object Benchmark, Result, PassedCount, FailedCount, SkippedCount, OutputPath, PesterVersion
    Checks = @(`$r.Checks | Select-Object Id, Name, Title, Result, Evidence, Tags)
} | ConvertTo-Json -Depth 5 | Set-Content '$json'
"@
        $run = Invoke-CleanPwsh $script
        if (-not (Test-Path $json)) { throw "The child run wrote no summary:`n$($run.Output -join "`n")" }
        $summary = Get-Content -Raw $json | ConvertFrom-Json
        $summary | Add-Member Output $run.Output -PassThru
    }

    function Get-Check($summary, [string] $Name) { $summary.Checks | Where-Object Name -EQ $Name }

    # The XML Pester wrote, checked against Pester's own schema for the format.
    function Test-ResultXml([string] $Path, [string] $Version, [string] $Schema) {
        $settings = [System.Xml.XmlReaderSettings]::new()
        $settings.ValidationType = [System.Xml.ValidationType]::Schema
        $null = $settings.Schemas.Add($null, (Join-Path $Packages "pester/$Version/tools/schemas/$Schema"))
        $errors = [System.Collections.Generic.List[string]]::new()
        $settings.add_ValidationEventHandler({ param($s, $e) $errors.Add($e.Message) })
        $reader = [System.Xml.XmlReader]::Create($Path, $settings)
        try { while ($reader.Read()) { } } finally { $reader.Dispose() }
        $errors
    }
}

Describe 'Invoke-KubeAuditCompliance with Pester <Version>' -ForEach $Versions {
    It 'passes every check on a compliant node (Enable defaults, a fresh private log), with valid NUnit XML' {
        $node = New-CompliantNode
        $xml = Join-Path $TestDrive "compliant-$Version.xml"
        $run = Invoke-Suite $Version "-ManifestPath '$($node.Manifest)' -PolicyPath '$($node.Policy)' -LogPath '$($node.Log)' -OutputFormat NUnitXml -OutputPath '$xml'"

        $run.Ok | Should -BeTrue -Because ($run.Output -join "`n")
        $run.Result.PesterVersion | Should -Be $Version
        $run.Result.Result | Should -Be 'Passed'
        $run.Result.PassedCount | Should -Be 12
        $run.Result.FailedCount + $run.Result.SkippedCount | Should -Be 0
        ($run.Checks.Id | Select-Object -Unique) -join ',' | Should -Be '1.2.16,1.2.17,1.2.18,1.2.19,3.2.1,3.2.2,KA-LOG-1,KA-LOG-2'
        (Get-Check $run AuditLogMaxAge).Evidence | Should -BeLike '--audit-log-maxage=30 (line *): at least 30 days.'
        (Get-Check $run PolicyCredentialsAtMetadata).Evidence | Should -BeLike '*are logged at Metadata, by rules`[4`]*'

        Test-ResultXml $xml $Version 'NUnit25/nunit_schema_2.5.xsd' | Should -BeNullOrEmpty
        $doc = [xml](Get-Content -Raw $xml)
        [int]$doc.'test-results'.total | Should -Be 12
        [int]$doc.'test-results'.failures | Should -Be 0
        @($doc.SelectNodes('//test-case')).Count | Should -Be 12
        $doc.SelectNodes('//test-case').name | Where-Object { $_ -like '*1.2.17: keeps rotated audit logs*' } | Should -Not -BeNullOrEmpty
    }

    It 'names each failure on a non-compliant node (kops manifest, the guide example policy), with valid JUnit XML' {
        $xml = Join-Path $TestDrive "guide-$Version.xml"
        $run = Invoke-Suite $Version "-ManifestPath '$kops' -PolicyPath '$guide' -ExcludeCheck LogFiles -OutputFormat JUnitXml -OutputPath '$xml'"

        $run.Ok | Should -BeFalse
        $run.Errors | Should -HaveCount 1
        $run.Errors[0] | Should -BeLike 'KubeAudit.ComplianceFailed,*: 7 compliance check(s) failed: 1.2.17 AuditLogMaxAge, 1.2.18 AuditLogMaxBackup, 3.2.2 PolicyCredentialsAtMetadata, *'
        $run.Result.FailedCount | Should -Be 7
        $run.Result.PassedCount | Should -Be 3
        @($run.Checks | Where-Object Result -EQ Failed).Name | Should -Be @(
            'AuditLogMaxAge', 'AuditLogMaxBackup', 'PolicyCredentialsAtMetadata', 'PolicyPodAccessLogged', 'PolicyRbacChangesLogged', 'PolicyWorkloadChangesLogged', 'PolicyHasCatchAll')
        (Get-Check $run AuditLogMaxAge).Evidence | Should -Be '--audit-log-maxage=10 (line 22): below the minimum of 30 days. Set --audit-log-maxage=30 or more.'
        (Get-Check $run PolicyCredentialsAtMetadata).Evidence | Should -BeLike 'Expected Metadata, but get/create/delete secrets in default give RequestResponse (rules`[1`], line 13); *'
        (Get-Check $run PolicyHasCatchAll).Evidence | Should -BeLike 'No rule matches create widgets.example.com in default*'
        (Get-Check $run AuditPolicyFile).Result | Should -Be 'Passed' -Because 'the guide policy is valid, only unsafe'

        Test-ResultXml $xml $Version 'JUnit4/junit_schema_4.xsd' | Should -BeNullOrEmpty
        $doc = [xml](Get-Content -Raw $xml)
        # Pester counts the two excluded log checks in 'tests' but writes no testcase for them, as the summary lists none.
        [int]$doc.testsuites.tests | Should -Be 12
        @($doc.SelectNodes('//testcase')).Count | Should -Be $run.Checks.Count
        [int]$doc.testsuites.failures | Should -Be $run.Result.FailedCount
        @($doc.SelectNodes('//testcase[failure]')).Count | Should -Be 7
        $doc.SelectNodes('//testcase[failure]/failure').message | Where-Object { $_ -like '*--audit-log-maxage=10 (line 22)*' } | Should -Not -BeNullOrEmpty
    }

    It 'runs the checks a tag selects, and leaves out the ones excluded' {
        $node = New-CompliantNode
        $run = Invoke-Suite $Version "-ManifestPath '$($node.Manifest)' -PolicyPath '$($node.Policy)' -Benchmark CIS-1.9 -Tag 3.2.2, AuditLogPath -ExcludeCheck PolicyHasCatchAll"
        $run.Ok | Should -BeTrue
        $run.Result.Benchmark | Should -Be 'CIS-1.9'
        $run.Checks.Name | Should -Be @('AuditLogPath', 'PolicyCredentialsAtMetadata', 'PolicyPodAccessLogged', 'PolicyRbacChangesLogged', 'PolicyWorkloadChangesLogged')
    }

    It 'skips the retention checks as a declared exception with -ExternalRotation, and fails what a missing policy affects' {
        $run = Invoke-Suite $Version "-ManifestPath '$kops' -ExternalRotation -ExcludeCheck LogFiles"
        $run.Ok | Should -BeFalse
        foreach ($name in 'AuditLogMaxAge', 'AuditLogMaxBackup', 'AuditLogMaxSize') {
            (Get-Check $run $name).Result | Should -Be 'Skipped'
            (Get-Check $run $name).Evidence | Should -BeLike 'Exception declared: audit logs are rotated outside kube-apiserver*'
        }
        (Get-Check $run AuditPolicyFile).Result | Should -Be 'Failed'
        (Get-Check $run AuditPolicyFile).Evidence | Should -BeLike '*/etc/kubernetes/audit/policy-config.yaml (the node path --audit-policy-file names) does not exist*'
        (Get-Check $run PolicyRbacChangesLogged).Result | Should -Be 'Skipped'
        (Get-Check $run PolicyRbacChangesLogged).Evidence | Should -BeLike 'No policy to judge*'
    }

    It 'completes on a missing manifest, every check failing or skipping with the reason' {
        $missing = Join-Path $TestDrive 'nowhere/kube-apiserver.yaml'
        $run = Invoke-Suite $Version "-ManifestPath '$missing' -LogPath '$(Join-Path $TestDrive 'no-logs')'"
        $run.Ok | Should -BeFalse
        $run.Checks | Should -HaveCount 12
        $run.Result.PassedCount | Should -Be 0
        (Get-Check $run AuditLogPath).Evidence | Should -Be "cannot read the manifest ${missing}: the file does not exist."
        (Get-Check $run LogRecentlyWritten).Result | Should -Be 'Failed'
        (Get-Check $run LogRecentlyWritten).Evidence | Should -BeLike 'No audit log file in *no-logs*'
    }

    It 'sets the exit status of pwsh -Command: 0 when all pass, 1 when a check fails' {
        $node = New-CompliantNode
        $pester = Get-PesterPath $Version
        $pass = Invoke-CleanPwsh "Import-Module '$pester'; Import-Module '$ModuleManifest'; Invoke-KubeAuditCompliance -ManifestPath '$($node.Manifest)' -PolicyPath '$($node.Policy)' -LogPath '$($node.Log)'"
        $pass.ExitCode | Should -Be 0 -Because ($pass.Output -join "`n")
        $fail = Invoke-CleanPwsh "Import-Module '$pester'; Import-Module '$ModuleManifest'; Invoke-KubeAuditCompliance -ManifestPath '$sample' -PolicyPath '$($node.Policy)'"
        $fail.ExitCode | Should -Be 1
        ($fail.Output -join "`n") | Should -Match '5 compliance check\(s\) failed: 1\.2\.16 AuditLogPath'
    }

    It 'keeps the console quiet with -Output None, and reports every check with the default' {
        $pester = Get-PesterPath $Version
        $command = "Import-Module '$pester'; Import-Module '$ModuleManifest'; `$r = Invoke-KubeAuditCompliance -ManifestPath '$sample' -PolicyPath '$guide' -PassThru -ErrorAction SilentlyContinue"
        $quiet = Invoke-CleanPwsh "$command -Output None; 'counts {0}/{1}/{2}' -f `$r.PassedCount, `$r.FailedCount, `$r.SkippedCount"
        $loud = Invoke-CleanPwsh "$command; 'counts {0}/{1}/{2}' -f `$r.PassedCount, `$r.FailedCount, `$r.SkippedCount"
        # The same judgement either way; only the report differs.
        $counts = @($loud.Output | Where-Object { $_ -like 'counts *' })
        $counts | Should -HaveCount 1
        @($quiet.Output) | Should -Be $counts
        ($loud.Output -join "`n") | Should -Match '1\.2\.16: writes audit events to a log file'
        ($loud.Output -join "`n") | Should -Match 'Tests Passed:'
    }

    It 'names every failure on each corpus manifest' {
        # One child for all ten manifests: the failed checks' names per manifest, and that each run completed.
        $json = Join-Path $TestDrive "corpus-$Version.json"
        $script = @"
Import-Module '$(Get-PesterPath $Version)'
Import-Module '$ModuleManifest'
`$rows = foreach (`$m in Get-ChildItem '$(Join-Path $Corpus 'manifests')' -File | Sort-Object Name) {
    `$r = Invoke-KubeAuditCompliance -ManifestPath `$m.FullName -ExcludeCheck LogFiles -PassThru -ErrorAction SilentlyContinue
    [pscustomobject]@{ Name = `$m.Name; Total = `$r.Checks.Count; Failed = @(`$r.Checks | Where-Object Result -EQ Failed | ForEach-Object { '{0} {1}: {2}' -f `$_.Id, `$_.Name, `$_.Evidence }) }
}
`$rows | ConvertTo-Json -Depth 4 | Set-Content '$json'
"@
        $run = Invoke-CleanPwsh $script
        $rows = Get-Content -Raw $json | ConvertFrom-Json
        $rows | Should -HaveCount (Get-ChildItem (Join-Path $Corpus 'manifests') -File).Count -Because ($run.Output -join "`n")
        foreach ($row in $rows) {
            $row.Total | Should -Be 10 -Because $row.Name
            # No corpus node has its policy file here: 3.2.1 fails, saying why.
            $row.Failed | Where-Object { $_ -like '3.2.1 AuditPolicyFile: *' } | Should -Match 'is not set|does not exist|no volumeMount serves' -Because $row.Name
            $row.Failed | Where-Object { $_ -like '1.2.1? *' } | Should -Not -BeNullOrEmpty -Because "$($row.Name) misses a CIS audit-log setting"
        }
        ($rows | Where-Object Name -Like 'kops-*').Failed | Should -Contain '1.2.18 AuditLogMaxBackup: --audit-log-maxbackup=1 (line 23): below the minimum of 10 files. Set --audit-log-maxbackup=10 or more.'
        ($rows | Where-Object Name -Like 'sallyom-*').Failed | Where-Object { $_ -like '1.2.16 *' } | Should -BeLike '*--audit-log-path is not set in *sallyom-otel-kubeadm-v1.25.3-kube-apiserver.yaml: the API server writes no audit log file.'
    }

    It 'runs the examples/compliance tests, which use the Should operators, and they pass' {
        $out = Join-Path $TestDrive "examples-$Version.xml"
        $sep = [IO.Path]::PathSeparator
        # Import-Module KubeAudit in the examples finds the built module through PSModulePath, as an installed one.
        $script = "`$env:PSModulePath = '$(Split-Path (Split-Path $ModuleManifest))' + '$sep' + `$env:PSModulePath; Import-Module '$(Get-PesterPath $Version)'; " +
            "`$r = Invoke-Pester -Path '$(Join-Path $RepoRoot 'examples/compliance')' -PassThru -Output None; '{0} passed, {1} failed' -f `$r.PassedCount, `$r.FailedCount; exit `$r.FailedCount"
        $run = Invoke-CleanPwsh $script
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output[-1] | Should -Match '^1[0-9] passed, 0 failed$'
    }
}

Describe 'Invoke-KubeAuditCompliance without Pester' {
    It 'KubeAudit imports, exports only its cmdlets, and the command says how to get Pester' {
        # No Pester on this machine's module path: the tool-installed pwsh ships none.
        $script = @"
`$env:PSModulePath = ''
Import-Module '$ModuleManifest'
'functions=' + @(Get-Command -Module KubeAudit -CommandType Function).Count
'modules=' + (@(Get-Module).Name -join ',')
try { Invoke-KubeAuditCompliance -ManifestPath '$sample' } catch { 'id=' + `$_.FullyQualifiedErrorId; 'message=' + `$_.Exception.Message }
"@
        $run = Invoke-CleanPwsh $script
        $text = $run.Output -join "`n"
        $text | Should -Match 'functions=0'
        $text | Should -Not -Match 'modules=.*Pester'
        $text | Should -Match 'id=KubeAudit.PesterNotFound,KubeAudit.Commands.InvokeKubeAuditComplianceCommand'
        $text | Should -Match 'Install-Module Pester'
        $text | Should -Match 'tools/Pester.psd1'
    }

    It 'rejects -OutputFormat without -OutputPath, and an unknown benchmark, before running anything' {
        { Invoke-KubeAuditCompliance -ManifestPath $sample -OutputFormat JUnitXml } | Should -Throw -ErrorId 'KubeAudit.OutputPathRequired,*'
        { Invoke-KubeAuditCompliance -ManifestPath $sample -Benchmark CIS-1.6 } | Should -Throw -ErrorId 'KubeAudit.UnknownBenchmark,*'
    }
}

Describe 'Invoke-KubeAuditCompliance and Ctrl+C' {
    It 'stops promptly on Ctrl+C while checking a very large policy' {
        # 200,000 rules: the policy check the suite starts with (once per suite file) takes well over 10 s in all.
        $big = New-HugePolicy (Join-Path $TestDrive 'huge-policy.yaml') 200000
        $node = New-CompliantNode
        $json = Join-Path $TestDrive 'stopped.json'

        # In a fresh pwsh, as every run here: start the suite in a pipeline of its own, stop it as Ctrl+C does, time the stop.
        $child = Join-Path $TestDrive 'stop-suite.ps1'
        Set-Content -LiteralPath $child @'
param($Pester, $Module, $Manifest, $Policy, $Json)
$ps = [powershell]::Create()
$null = $ps.AddScript({
        param($Pester, $Module, $Manifest, $Policy)
        Import-Module $Pester
        Import-Module $Module
        Invoke-KubeAuditCompliance -ManifestPath $Manifest -PolicyPath $Policy -Output None
    }).AddArgument($Pester).AddArgument($Module).AddArgument($Manifest).AddArgument($Policy)
$handle = $ps.BeginInvoke()
Start-Sleep -Seconds 6
$running = -not $handle.IsCompleted
$watch = [Diagnostics.Stopwatch]::StartNew()
$stopped = $ps.BeginStop($null, $null).AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10))
[pscustomobject]@{ Running = $running; Stopped = $stopped; Seconds = $watch.Elapsed.TotalSeconds; State = "$($ps.InvocationStateInfo.State)" } |
    ConvertTo-Json | Set-Content $Json
[Environment]::Exit(0)
'@
        $run = Invoke-CleanPwsh "& '$child' '$(Get-PesterPath '5.7.1')' '$ModuleManifest' '$($node.Manifest)' '$big' '$json'"
        if (-not (Test-Path $json)) { throw "The child run wrote no result:`n$($run.Output -join "`n")" }
        $result = Get-Content -Raw $json | ConvertFrom-Json

        $result.Running | Should -BeTrue -Because 'the suite is still checking 200,000 rules after 6 s'
        $result.Stopped | Should -BeTrue -Because "Ctrl+C must end the run within 10 s (took $($result.Seconds) s)"
        $result.State | Should -Be 'Stopped'
    }
}
