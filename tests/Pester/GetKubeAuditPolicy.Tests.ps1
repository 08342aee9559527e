BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/audit-policy.yaml'
}

Describe 'Get-KubeAuditPolicy' {
    It 'reads a policy into typed rules with their lines' {
        $policy = Get-KubeAuditPolicy -Path $sample
        $policy | Should -BeOfType ([KubeAudit.AuditPolicy])
        $policy.ApiVersion | Should -Be 'audit.k8s.io/v1'
        $policy.OmitStages | Should -Be @('RequestReceived')
        $policy.Rules.Count | Should -Be 7
        $policy.Rules[0].Level | Should -Be 'None'
        $policy.Rules[0].NonResourceURLs | Should -Contain '/healthz*'
        $policy.Rules[2].Resources[1].Group | Should -Be 'authentication.k8s.io'
        $lines = Get-Content $sample
        foreach ($rule in $policy.Rules) { $lines[$rule.Line - 1] | Should -Match '^\s*- level:' }
    }

    It 'reads the guide example policy from the corpus' {
        $policy = Get-KubeAuditPolicy -LiteralPath (Join-Path $Corpus 'policies/guide-example-policy.yaml')
        ($policy.Rules | Where-Object { $_.Resources.Resources -contains 'secrets' }).Level | Should -Be 'RequestResponse'
    }

    It 'binds files from Get-ChildItem' {
        $policies = @(Get-ChildItem (Join-Path $Corpus 'policies') -Filter 'k8s-*.yaml' | Get-KubeAuditPolicy -WarningAction SilentlyContinue)
        $policies.Count | Should -Be @(Get-ChildItem (Join-Path $Corpus 'policies') -Filter 'k8s-*.yaml').Count
    }

    It 'warns with the line of a key the API server would ignore' {
        $file = Join-Path $Corpus 'policies/EDGE-k8s-reader_test-unknown-field-misindented-verbs.yaml'
        $policy = Get-KubeAuditPolicy -LiteralPath $file -WarningVariable warnings -WarningAction SilentlyContinue
        $policy | Should -Not -BeNullOrEmpty
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match 'UnknownField.*verbs'
        $warnings[0].Message | Should -Match ([regex]::Escape($file) + ':\d+:\d+')
    }

    It 'gives a clear error for a file that is not YAML, and goes on' {
        $bad = Join-Path $TestDrive 'bad.yaml'
        Set-Content $bad "rules: [`n  - level: Metadata"
        $policies = @(Get-KubeAuditPolicy -Path $bad, $sample -ErrorVariable errs -ErrorAction SilentlyContinue)
        $policies.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.InvalidYaml,*'
        $errs[0].TargetObject.File | Should -Be $bad
        $errs[0].TargetObject.Line | Should -BeGreaterThan 0
    }

    It 'refuses a document that is not a Policy' {
        $pod = Join-Path $TestDrive 'pod.yaml'
        Set-Content $pod "apiVersion: v1`nkind: Pod`nmetadata:`n  name: x"
        $result = Get-KubeAuditPolicy -Path $pod -ErrorVariable errs -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.NotAPolicy,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidType'
    }
}
