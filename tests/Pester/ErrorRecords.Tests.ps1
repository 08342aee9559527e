# Pins the whole ErrorRecord (ID, category, target, exception type and message) of refusals no other test looks at
# that closely, so moving their construction into the Errors class cannot change what a user sees.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/audit.log'

    # The record a command stops with, or the first error it writes.
    function Get-FirstError([scriptblock] $Action) {
        try { $out = & $Action 2>&1 }
        catch { return $_ }
        $first = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        if ($first.Count -gt 0) { return $first[0] }
        throw 'The command wrote no error.'
    }
}

Describe 'ErrorRecords' {
    It 'Find-KubeAuditThreat -BurstWindow 0 is InvalidBurstWindow' {
        $e = Get-FirstError { Find-KubeAuditThreat -Path $sample -BurstWindow 0 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.InvalidBurstWindow,KubeAudit.Commands.FindKubeAuditThreatCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.TargetObject | Should -Be ([TimeSpan]::Zero)
        $e.Exception | Should -BeOfType ([ArgumentOutOfRangeException])
        $e.Exception.Message | Should -BeExactly "The burst window must be longer than zero. (Parameter 'BurstWindow')"
    }

    It 'Send-KubeAuditEvent names the schema switch of the other engine' -ForEach @(
        @{ Engine = 'ClickHouse'; Switch = @{ CreateIndexTemplate = $true }; Message = '-CreateIndexTemplate is for Elasticsearch and OpenSearch; ClickHouse takes -CreateTable.' }
        @{ Engine = 'Elasticsearch'; Switch = @{ CreateTable = $true }; Message = '-CreateTable is for ClickHouse; Elasticsearch takes -CreateIndexTemplate.' }
        @{ Engine = 'OpenSearch'; Switch = @{ CreateTable = $true }; Message = '-CreateTable is for ClickHouse; OpenSearch takes -CreateIndexTemplate.' }
    ) {
        $e = Get-FirstError { Send-KubeAuditEvent -Path $sample -Uri http://127.0.0.1:9/ -Engine $Engine -Index audit @Switch -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.SchemaSwitchMismatch,KubeAudit.Commands.SendKubeAuditEventCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($e.TargetObject)" | Should -BeExactly $Engine
        $e.Exception | Should -BeOfType ([ArgumentException])
        $e.Exception.Message | Should -BeExactly $Message
    }

    It 'Send-KubeAuditEvent -CheckpointPath without -Follow is CheckpointNeedsFollow' {
        $checkpoint = Join-Path $TestDrive 'send.checkpoint'
        $e = Get-FirstError { Send-KubeAuditEvent -Path $sample -Uri http://127.0.0.1:9/ -Engine ClickHouse -Index audit -CheckpointPath $checkpoint -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.CheckpointNeedsFollow,KubeAudit.Commands.SendKubeAuditEventCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.TargetObject | Should -BeExactly $checkpoint
        $e.Exception.Message | Should -BeExactly '-CheckpointPath goes with -Follow: it records how far a followed log was sent.'
        Test-Path $checkpoint | Should -BeFalse
    }

    It 'Send-KubeAuditEvent -Uri that is not http is InvalidStoreUri' {
        $e = Get-FirstError { Send-KubeAuditEvent -Path $sample -Uri ftp://127.0.0.1/ -Engine ClickHouse -Index audit -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.InvalidStoreUri,KubeAudit.Commands.SendKubeAuditEventCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.TargetObject | Should -BeOfType ([uri])
        $e.Exception.Message | Should -BeExactly "'ftp://127.0.0.1/' is not an http or https address of a store."
    }

    It 'Send-KubeAuditEvent -CertificatePath that holds no certificate is CannotOpenStore for <Engine>, before anything is sent' -ForEach @(
        @{ Engine = 'ClickHouse' }, @{ Engine = 'Elasticsearch' }, @{ Engine = 'OpenSearch' }
    ) {
        $notCa = Join-Path $TestDrive 'not-a-ca.pem'
        Set-Content -LiteralPath $notCa 'this is not a certificate'
        $e = Get-FirstError { Send-KubeAuditEvent -Path $sample -Uri https://127.0.0.1:1/ -Engine $Engine -Index audit -CertificatePath $notCa -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.CannotOpenStore,KubeAudit.Commands.SendKubeAuditEventCommand'
        $e.Exception.Message | Should -Match ([regex]::Escape($notCa))
    }

    It 'Receive-KubeAuditEvent -ListenAddress that is not an IP address is InvalidListenAddress' {
        $e = Get-FirstError { Receive-KubeAuditEvent -Port 0 -ListenAddress not-an-ip -AllowInsecureHttp -AllowAnonymous -Duration 00:00:01 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.InvalidListenAddress,KubeAudit.Commands.ReceiveKubeAuditEventCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.TargetObject | Should -BeExactly 'not-an-ip'
        $e.Exception.Message | Should -BeExactly "'not-an-ip' is not an IP address."
    }

    It 'Receive-KubeAuditEvent with a certificate that is not there is WebhookCertificateUnreadable' {
        $cert = Join-Path $TestDrive 'missing.crt'
        $e = Get-FirstError { Receive-KubeAuditEvent -Port 0 -CertificatePath $cert -KeyPath (Join-Path $TestDrive 'missing.key') -AllowAnonymous -Duration 00:00:01 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.WebhookCertificateUnreadable,KubeAudit.Commands.ReceiveKubeAuditEventCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.TargetObject | Should -BeExactly $cert
    }

    It 'a path on a drive that does not exist is InvalidPath, and the next path is still read' {
        $errs = $null
        $events = @(Get-KubeAuditEvent -Path 'nosuchdrive:/audit.log', $sample -ErrorVariable errs -ErrorAction SilentlyContinue)
        $events.Count | Should -BeGreaterThan 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.InvalidPath,KubeAudit.Commands.GetKubeAuditEventCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -BeExactly 'nosuchdrive:/audit.log'
    }

    It 'Export-KubeAuditEvent -NoClobber on an existing file says so without offering -Force' {
        $out = Join-Path $TestDrive 'exists.log'
        Set-Content -LiteralPath $out -Value 'keep'
        $e = Get-FirstError { Get-KubeAuditEvent -Path $sample | Export-KubeAuditEvent -Path $out -NoClobber -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.FileExists,KubeAudit.Commands.ExportKubeAuditEventCommand'
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.TargetObject | Should -BeExactly $out
        $e.Exception | Should -BeOfType ([System.IO.IOException])
        $e.Exception.Message | Should -BeExactly "The file '$out' already exists."
        Get-Content -LiteralPath $out -Raw | Should -BeExactly "keep$([Environment]::NewLine)"
    }

    It 'New-KubeAuditPolicy on an existing file offers -Force' {
        $out = Join-Path $TestDrive 'policy.yaml'
        Set-Content -LiteralPath $out -Value 'keep'
        $e = Get-FirstError { New-KubeAuditPolicy -Path $out -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.FileExists,KubeAudit.Commands.NewKubeAuditPolicyCommand'
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.Exception.Message | Should -BeExactly "The file '$out' already exists; use -Force to replace it."
    }

    It 'Get-KubeAuditThreatRule -Name that names no rule is ThreatRuleNotFound' {
        $e = Get-FirstError { Get-KubeAuditThreatRule -Name NoSuchRule }
        $e.FullyQualifiedErrorId | Should -BeExactly 'KubeAudit.ThreatRuleNotFound,KubeAudit.Commands.GetKubeAuditThreatRuleCommand'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.TargetObject | Should -BeExactly 'NoSuchRule'
        $e.Exception.Message | Should -BeExactly "There is no threat rule named 'NoSuchRule'."
    }
}
