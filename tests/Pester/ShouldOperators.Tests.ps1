# KubeAudit's Should operators, registered with the suite's own Pester when the module is imported.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $policy = Join-Path $RepoRoot 'samples/audit-policy.yaml'
    $guide = Join-Path $Corpus 'policies/guide-example-policy.yaml'
    $sample = Join-Path $RepoRoot 'samples/kube-apiserver.yaml'
    $kops = Join-Path $Corpus 'manifests/kops-nodeup-golden-audit-kube-apiserver.manifest.yaml'
}

Describe 'Should -HaveAuditLevel' {
    It 'passes when the policy gives the level, and with -Not when it does not' {
        Resolve-KubeAuditLevel -Policy $policy -Verb get -Resource secrets -Namespace default | Should -HaveAuditLevel Metadata
        Resolve-KubeAuditLevel -Policy $policy -Verb create -Resource pods/exec | Should -Not -HaveAuditLevel None
    }

    It 'names the request, the deciding rule and its line when it fails' {
        { Resolve-KubeAuditLevel -Policy $guide -Verb get -Resource secrets -Namespace default | Should -HaveAuditLevel Metadata } |
            Should -Throw -ExpectedMessage 'Expected audit level Metadata for get secrets in default, but rules`[1`] (line 13) gives RequestResponse.'
    }

    It 'says when no rule matches, and carries -Because' {
        { Resolve-KubeAuditLevel -Policy $guide -Verb list -Resource secrets -Namespace default | Should -HaveAuditLevel Metadata -Because 'CIS 3.2.2 asks for it' } |
            Should -Throw -ExpectedMessage 'Expected audit level Metadata for list secrets in default, because CIS 3.2.2 asks for it, but no rule matches, so the policy gives None.'
    }

    It 'explains a negated failure and refuses what is not a decision' {
        { Resolve-KubeAuditLevel -Policy $policy -Verb get -NonResourceUrl /healthz | Should -Not -HaveAuditLevel None } |
            Should -Throw -ExpectedMessage 'Expected an audit level other than None for get /healthz, but rules`[0`] (line *) gives None.'
        { 'Metadata' | Should -HaveAuditLevel Metadata } | Should -Throw -ExpectedMessage 'Expected an audit level decision from Resolve-KubeAuditLevel, but got System.String.'
        { Resolve-KubeAuditLevel -Policy $policy -Verb get -Resource secrets | Should -HaveAuditLevel Secret } | Should -Throw -ExpectedMessage '*takes None, Metadata, Request or RequestResponse*'
    }
}

Describe 'Should -HaveAuditFlag' {
    It 'checks that a flag is set, at least a number, or exactly a value' {
        $config = Get-KubeApiServerAuditConfig $kops
        $config | Should -HaveAuditFlag audit-log-path
        $config | Should -HaveAuditFlag --audit-log-maxsize -AtLeast 100
        $config | Should -HaveAuditFlag audit-log-path -Value /var/log/kube-apiserver-audit.log
        Get-KubeApiServerAuditConfig $sample | Should -Not -HaveAuditFlag audit-log-path
    }

    It 'names the flag, the manifest and the line when it fails' {
        { Get-KubeApiServerAuditConfig $kops | Should -HaveAuditFlag audit-log-maxage -AtLeast 30 } |
            Should -Throw -ExpectedMessage "Expected --audit-log-maxage to be at least 30 in $kops, but it is --audit-log-maxage=10 (line 22)."
        { Get-KubeApiServerAuditConfig $sample | Should -HaveAuditFlag audit-policy-file } |
            Should -Throw -ExpectedMessage "Expected --audit-policy-file to be set in $sample, but it is not set."
        { Get-KubeApiServerAuditConfig $kops | Should -Not -HaveAuditFlag audit-log-maxage -AtLeast 5 } |
            Should -Throw -ExpectedMessage "Expected --audit-log-maxage not to be at least 5 in $kops, but it is --audit-log-maxage=10 (line 22)."
    }
}

Describe 'Should -PassComplianceCheck' {
    It 'passes a passed check and fails a failed one with its evidence' {
        Get-KubeAuditComplianceCheck $sample -PolicyPath $policy -Name PolicyHasCatchAll | Should -PassComplianceCheck
        { Get-KubeAuditComplianceCheck $kops -PolicyPath $policy -Name AuditLogMaxAge | Should -PassComplianceCheck } |
            Should -Throw -ExpectedMessage '1.2.17 Rotated audit logs are kept at least 30 days (--audit-log-maxage): --audit-log-maxage=10 (line 22): below the minimum of 30 days.*'
    }
}

Describe 'Registration' {
    It 'happens when Pester is imported after KubeAudit, at the next command that gives what they assert on' {
        $pester = Join-Path $Packages 'pester/5.7.1/tools/Pester.psd1'
        $script = "Import-Module '$ModuleManifest'; Import-Module '$pester'; " +
            "'before=' + (@(Get-ShouldOperator).Name -contains 'HaveAuditLevel'); " +
            "`$d = Resolve-KubeAuditLevel -Policy '$policy' -Verb get -Resource secrets; `$d | Should -HaveAuditLevel Metadata; 'after=ok'"
        $run = Invoke-CleanPwsh $script
        $run.Output | Should -Contain 'before=False'
        $run.Output | Should -Contain 'after=ok'
    }

    It 'is the same when repeated, as Pester requires of a second Add-ShouldOperator' {
        Import-KubeAudit
        Get-KubeApiServerAuditConfig $kops | Should -HaveAuditFlag audit-log-path
        @(Get-ShouldOperator | Where-Object Name -In 'HaveAuditLevel', 'HaveAuditFlag', 'PassComplianceCheck').Count | Should -Be 3
    }
}
