BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $log = Join-Path $RepoRoot 'samples/audit.log'
}

# Every single path a command takes (a certificate, a checkpoint, a file to write) is resolved as -LiteralPath is,
# by one resolver: a drive that does not exist is KubeAudit.InvalidPath, another provider's path
# KubeAudit.NotFileSystemPath, both before anything is read, sent, listened on or written.
Describe 'Single paths resolve one way in every command' {
    BeforeDiscovery {
        $commands = @(
            @{ Name = 'Get-KubeAuditEvent -CertificatePath'; Run = { param($p) Get-KubeAuditEvent -Uri http://127.0.0.1:9 -Engine ClickHouse -Table t -CertificatePath $p } }
            @{ Name = 'Send-KubeAuditEvent -CertificatePath'; Run = { param($p) Send-KubeAuditEvent -Path $log -Uri http://127.0.0.1:9 -Engine ClickHouse -Table t -CertificatePath $p } }
            @{ Name = 'Send-KubeAuditEvent -CheckpointPath'; Run = { param($p) Send-KubeAuditEvent -Path $log -Uri http://127.0.0.1:9 -Engine ClickHouse -Table t -CheckpointPath $p -Follow } }
            @{ Name = 'Receive-KubeAuditEvent -CertificatePath'; Run = { param($p) Receive-KubeAuditEvent -Port 0 -CertificatePath $p -KeyPath (Join-Path $TestDrive 'k.pem') -AllowAnonymous -Duration 00:00:01 } }
            @{ Name = 'Receive-KubeAuditEvent -KeyPath'; Run = { param($p) Receive-KubeAuditEvent -Port 0 -CertificatePath (Join-Path $TestDrive 'c.pem') -KeyPath $p -AllowAnonymous -Duration 00:00:01 } }
            @{ Name = 'New-KubeAuditRbacPolicy -OutFile'; Run = { param($p) New-KubeAuditRbacPolicy -Path $log -User system:anonymous -OutFile $p -WarningAction SilentlyContinue } }
            @{ Name = 'New-KubeAuditPolicy -LiteralPath'; Run = { param($p) New-KubeAuditPolicy -LiteralPath $p } }
            @{ Name = 'Export-KubeAuditEvent -LiteralPath'; Run = { param($p) Get-KubeAuditEvent $log | Export-KubeAuditEvent -LiteralPath $p } }
        )
        $cases = foreach ($c in $commands) {
            @{ Name = $c.Name; Run = $c.Run; Path = 'nodrive:/kubeaudit/x'; Id = 'KubeAudit.InvalidPath' }
            @{ Name = $c.Name; Run = $c.Run; Path = 'env:/KUBEAUDIT_X'; Id = 'KubeAudit.NotFileSystemPath' }
        }
    }

    It '<Name> <Path> stops with <Id>' -TestCases $cases {
        $before = @(Get-ChildItem -LiteralPath $TestDrive -Recurse -Force | ForEach-Object FullName)
        $err = $null
        try { & $Run $Path -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.TargetObject | Should -Be $Path
        Test-Path env:/KUBEAUDIT_X | Should -BeFalse
        @(Get-ChildItem -LiteralPath $TestDrive -Recurse -Force | ForEach-Object FullName) | Should -Be $before
    }
}
