BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/kube-apiserver.yaml'
    $policy = Join-Path $RepoRoot 'samples/audit-policy.yaml'
}

Describe 'Get-KubeAuditComplianceCheck' {
    It 'returns every check, in suite order, typed and with evidence' {
        $checks = @(Get-KubeAuditComplianceCheck $sample -PolicyPath $policy)
        $checks | Should -HaveCount 12
        $checks[0] | Should -BeOfType ([KubeAudit.ComplianceCheck])
        $checks.Name | Select-Object -First 5 | Should -Be @('AuditLogPath', 'AuditLogMaxAge', 'AuditLogMaxBackup', 'AuditLogMaxSize', 'AuditPolicyFile')
        $checks | ForEach-Object { $_.Evidence | Should -Not -BeNullOrEmpty }
        ($checks | Where-Object Name -EQ AuditPolicyFile).Evidence | Should -BeLike "--audit-policy-file is not set in $sample*"
        ($checks | Where-Object Id -EQ '3.2.2').Result | Should -Be @('Passed', 'Passed', 'Passed', 'Passed', 'Passed')
    }

    It 'filters by name or ID, with wildcards, and tags each check for Pester' {
        (Get-KubeAuditComplianceCheck $sample -Name 1.2.1*, AuditPolicy*).Name | Should -Be @('AuditLogPath', 'AuditLogMaxAge', 'AuditLogMaxBackup', 'AuditLogMaxSize', 'AuditPolicyFile')
        (Get-KubeAuditComplianceCheck $sample -Name LogFilePermissions).Tags | Should -Be @('KA-LOG-1', 'LogFilePermissions', 'LogFiles')
        (Get-KubeAuditComplianceCheck $sample -Name AuditLogPath -Benchmark CIS-1.10).Tags | Should -Be @('1.2.16', 'AuditLogPath', 'AuditLog', 'CIS')
    }

    It 'applies -Threshold and states it in the title' {
        $check = Get-KubeAuditComplianceCheck $sample -Name AuditLogMaxBackup -Threshold @{ MaxBackup = 3 }
        $check.Title | Should -Be 'At least 3 rotated audit log files are kept (--audit-log-maxbackup)'
    }

    It 'gives terminating errors with stable IDs for a bad benchmark or threshold' {
        { Get-KubeAuditComplianceCheck $sample -Benchmark CIS-2.0 } | Should -Throw -ErrorId 'KubeAudit.UnknownBenchmark,*'
        { Get-KubeAuditComplianceCheck $sample -Threshold @{ MaxAges = 3 } } | Should -Throw -ErrorId 'KubeAudit.InvalidThreshold,*'
        { Get-KubeAuditComplianceCheck $sample -Threshold @{ MaxAge = -1 } } | Should -Throw -ErrorId 'KubeAudit.InvalidThreshold,*'
    }

    It 'never stops on a missing manifest: the checks say why' {
        $checks = Get-KubeAuditComplianceCheck (Join-Path $TestDrive 'missing.yaml')
        $checks | Should -HaveCount 12
        ($checks | Where-Object Name -EQ AuditLogMaxAge).Evidence | Should -BeLike 'cannot read the manifest *missing.yaml: the file does not exist.'
    }
}
