BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $script:CorpusPolicies = Get-ChildItem (Join-Path $Corpus 'policies') -File | ForEach-Object { @{ Name = $_.Name; File = $_.FullName } }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/audit-policy.yaml'
    $guide = Join-Path $Corpus 'policies/guide-example-policy.yaml'
    $misindented = Join-Path $Corpus 'policies/EDGE-k8s-reader_test-unknown-field-misindented-verbs.yaml'
    # The engine, for the reference verdicts (a literal [KubeAudit.Core...] does not resolve in another load context).
    $checker = [KubeAudit.Core.Policy.PolicyChecker, KubeAudit.Core]
}

Describe 'Test-KubeAuditPolicy' {
    It 'passes the sample policy, even with -Strict' {
        Test-KubeAuditPolicy $sample | Should -BeTrue
        Test-KubeAuditPolicy -Path $sample -Strict | Should -BeExactly $true
        Test-KubeAuditPolicy -Path $sample -Detailed | Should -BeNullOrEmpty
    }

    It 'gives <Name> the verdict the policy checker gives it' -ForEach $CorpusPolicies {
        $reference = $checker::Check($File, $null)
        $warnings = @($reference.Findings | Where-Object Severity -eq 'Warning').Count
        Test-KubeAuditPolicy -LiteralPath $File | Should -BeExactly $reference.IsValid
        Test-KubeAuditPolicy -LiteralPath $File -Strict | Should -BeExactly ($reference.IsValid -and $warnings -eq 0)
        $findings = @(Test-KubeAuditPolicy -LiteralPath $File -Detailed)
        $findings.Code | Should -Be @($reference.Findings.Code)
        $findings | ForEach-Object { $_ | Should -BeOfType ([KubeAudit.PolicyFinding]) }
    }

    It 'stops promptly on Ctrl+C while checking a very large policy' {
        # Large enough to be still reading or linting after 2 s now that the check is near linear (about 15 s).
        $big = New-HugePolicy (Join-Path $TestDrive 'huge-policy.yaml') 200000
        $check = Start-Background { param($File) Test-KubeAuditPolicy -LiteralPath $File -Detailed } $big
        Start-Sleep -Seconds 2
        $check.Handle.IsCompleted | Should -BeFalse -Because 'the check of 200,000 rules is still running'
        Stop-Background $check -KeepStreams | Should -BeTrue -Because 'Ctrl+C must end the check'
        $check.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
        $check.PowerShell.Dispose()
    }

    It 'reports the secrets bodies (KA2001) and the literal * (KA2002) of the guide example, with lines' {
        Test-KubeAuditPolicy -LiteralPath $guide | Should -BeTrue
        Test-KubeAuditPolicy -LiteralPath $guide -Strict | Should -BeFalse
        $findings = Test-KubeAuditPolicy -LiteralPath $guide -Detailed
        $secrets = $findings | Where-Object { $_.Code -eq 'KA2001' -and $_.Message -match 'secrets' }
        $secrets.RuleIndex | Should -Be 1
        $secrets.Line | Should -Be 13
        $secrets.Severity | Should -Be 'Warning'
        $star = $findings | Where-Object Code -eq 'KA2002'
        $star.RuleIndex | Should -Be 3
        $star.Message | Should -Match 'namespaces\[0\]'
        $star.Hint | Should -Not -BeNullOrEmpty
        $star.File | Should -Be $guide
    }

    It 'fails a policy with an unknown field, which the API server would drop' {
        Test-KubeAuditPolicy -LiteralPath $misindented | Should -BeFalse
        $finding = Test-KubeAuditPolicy -LiteralPath $misindented -Detailed | Where-Object Code -eq 'KA1100'
        $finding.Severity | Should -Be 'Error'
        $finding.RejectedByApiServer | Should -BeFalse
        $finding.Message | Should -Match 'verbs'
    }

    It 'expands wildcards and binds files from Get-ChildItem' {
        $files = @(Get-ChildItem (Join-Path $Corpus 'policies') -Filter 'INVALID-*')
        $verdicts = @($files | Test-KubeAuditPolicy)
        $verdicts.Count | Should -Be $files.Count
        $verdicts | Should -Not -Contain $true
        @(Test-KubeAuditPolicy -Path (Join-Path $Corpus 'policies/openshift-library-go-*.yaml')).Count |
            Should -Be @(Get-ChildItem (Join-Path $Corpus 'policies') -Filter 'openshift-library-go-*.yaml').Count
    }

    It 'checks policies from Get-KubeAuditPolicy through their file' {
        Get-KubeAuditPolicy $sample | Test-KubeAuditPolicy | Should -BeTrue
        $policy = Get-KubeAuditPolicy -LiteralPath $misindented -WarningAction SilentlyContinue
        Test-KubeAuditPolicy -InputObject $policy | Should -BeFalse
        (Test-KubeAuditPolicy -Policy $policy -Detailed).Code | Should -Contain 'KA1100'
    }

    It 'validates and lints a policy object whose file is gone' {
        $copy = Join-Path $TestDrive 'guide.yaml'
        Get-Content -Raw $guide | Set-Content -LiteralPath $copy -NoNewline
        $policy = Get-KubeAuditPolicy $copy
        Remove-Item -LiteralPath $copy -Force
        Test-Path -LiteralPath $policy.File | Should -BeFalse
        $policy | Test-KubeAuditPolicy | Should -BeTrue
        $codes = ($policy | Test-KubeAuditPolicy -Detailed).Code
        $codes | Should -Contain 'KA2001'
        $codes | Should -Contain 'KA2002'
    }

    It 'checks policy text from the pipeline as one document' {
        New-KubeAuditPolicy | Test-KubeAuditPolicy -Strict | Should -BeTrue
        Get-Content $sample | Test-KubeAuditPolicy -Strict | Should -BeTrue
        Test-KubeAuditPolicy -Content "apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n- level: Verbose" | Should -BeFalse
    }

    It 'warns when a piped string is a file name rather than policy text' {
        $sample | Test-KubeAuditPolicy -WarningVariable warnings -WarningAction SilentlyContinue | Should -BeFalse
        "$warnings" | Should -Match '-Path'
    }

    It 'never throws on input that is not a policy: <Case>' -ForEach @(
        @{ Case = 'not YAML'; Text = "rules: [`n  - level: Metadata"; Code = 'KA1014' }
        @{ Case = 'a Pod'; Text = "apiVersion: v1`nkind: Pod`nmetadata:`n  name: x"; Code = 'KA1015' }
        @{ Case = 'empty'; Text = ''; Code = 'KA1015' }
        @{ Case = 'a bare list'; Text = "- level: Metadata"; Code = 'KA1015' }
        @{ Case = 'half valid'; Text = "apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n- level: Metadata`n  verbs: get`n- level: [None]"; Code = 'KA1013' }
    ) {
        $file = Join-Path $TestDrive 'odd.yaml'
        Set-Content -LiteralPath $file -Value $Text -NoNewline
        Test-KubeAuditPolicy -LiteralPath $file -ErrorVariable errs | Should -BeExactly $false
        $errs | Should -BeNullOrEmpty
        (Test-KubeAuditPolicy -LiteralPath $file -Detailed).Code | Should -Contain $Code
    }

    It 'never throws on binary garbage' {
        $file = Join-Path $TestDrive 'garbage.yaml'
        $bytes = [byte[]]::new(4096)
        [Random]::new(7).NextBytes($bytes)
        [IO.File]::WriteAllBytes($file, $bytes)
        Test-KubeAuditPolicy -LiteralPath $file -ErrorVariable errs | Should -BeExactly $false
        $errs | Should -BeNullOrEmpty
    }

    It 'reports a missing file as the ordinary PathNotFound error, and goes on' {
        $result = @(Test-KubeAuditPolicy -Path (Join-Path $TestDrive 'missing.yaml'), $sample -ErrorVariable errs -ErrorAction SilentlyContinue)
        $result | Should -Be @($true)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
    }

    It 'refuses a folder with an error' {
        $result = Test-KubeAuditPolicy -LiteralPath $TestDrive -ErrorVariable errs -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.PathIsDirectory,*'
    }

    It 'validates for an older cluster with -KubernetesVersion' {
        $wildcard = Join-Path $TestDrive 'wildcard-group.yaml'
        Set-Content $wildcard "apiVersion: audit.k8s.io/v1`nkind: Policy`nomitStages: [RequestReceived]`nrules:`n- level: Metadata`n  resources:`n  - group: '*'`n    resources: ['*/status']`n- level: Metadata"
        Test-KubeAuditPolicy $wildcard | Should -BeTrue
        Test-KubeAuditPolicy $wildcard -KubernetesVersion 1.35 | Should -BeFalse
        (Test-KubeAuditPolicy $wildcard -KubernetesVersion v1.35.2 -Detailed).Code | Should -Contain 'KA1008'
        Test-KubeAuditPolicy $wildcard -KubernetesVersion 1.36 | Should -BeTrue

        $v1beta1 = Join-Path $Corpus 'policies/LEGACY-k8s-reader_test-v1beta1.yaml'
        Test-KubeAuditPolicy -LiteralPath $v1beta1 | Should -BeFalse
        Test-KubeAuditPolicy -LiteralPath $v1beta1 -KubernetesVersion 1.23 | Should -BeExactly $checker::Check($v1beta1, 23).IsValid
    }

    It 'reads 1.30 as minor 30, not 1.3' {
        $wildcard = Join-Path $TestDrive 'wildcard-30.yaml'
        Set-Content $wildcard "apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n- level: Metadata`n  resources:`n  - group: '*'"
        (Test-KubeAuditPolicy $wildcard -KubernetesVersion 1.30 -Detailed | Where-Object Code -eq 'KA1008').Message | Should -Match 'group'
    }

    It 'stops on a version that is not 1.x' {
        { Test-KubeAuditPolicy $sample -KubernetesVersion 'latest' -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubeAudit.InvalidKubernetesVersion,KubeAudit.Commands.TestKubeAuditPolicyCommand'
    }

    It 'shows findings in a table of severity, code, line, rule and message' {
        $text = Test-KubeAuditPolicy -LiteralPath $guide -Detailed | Format-Table | Out-String -Width 200
        $text | Should -Match 'Severity\s+Code\s+Line\s+RuleIndex\s+Message'
        $text | Should -Match 'Warning\s+KA2001\s+13\s+1\s+rules\[1\]\.level'
        $text | Should -Match ([regex]::Escape("Policy: $guide"))
    }
}

Describe 'Test-KubeAuditPolicy fed several files by the pipeline' {
    BeforeAll {
        $files = @(Get-ChildItem (Join-Path $Corpus 'policies') -Filter *.yaml | Where-Object Name -In 'INVALID-k8s-reader_test-zero-rules.yaml', 'guide-example-policy.yaml', 'LEGACY-k8s-reader_test-v1beta1.yaml')
    }

    It 'names the file of every finding with -Detailed' {
        $findings = @($files | Test-KubeAuditPolicy -Detailed)
        $findings.Count | Should -BeGreaterThan 0
        $findings | ForEach-Object { $_.File | Should -BeIn $files.FullName }
        ($findings.File | Select-Object -Unique).Count | Should -Be 3
    }

    It 'says in a verbose line which file each boolean answers for' {
        $output = @($files | Test-KubeAuditPolicy -Verbose 4>&1)
        $answers = @($output | Where-Object { $_ -is [bool] })
        $answers.Count | Should -Be 3
        for ($i = 0; $i -lt $output.Count; $i++) {
            if ($output[$i] -is [bool]) { $output[$i - 1] | Should -BeOfType ([System.Management.Automation.VerboseRecord]) }
        }
        @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { ($_.Message -split ': ')[0] }) | Should -Be @($files.FullName)
    }
}
