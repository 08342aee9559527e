@{
    RootModule           = 'KubeAudit.dll'
    # Stamped from Directory.Build.props by build.ps1 (the one place the version is set).
    ModuleVersion        = '0.0.0'
    GUID                 = '420eacee-11a1-476e-8ac8-5666fb98b29c'
    Author               = 'KubeAudit contributors'
    CompanyName          = 'KubeAudit'
    Copyright            = '(c) KubeAudit contributors. Apache-2.0.'
    Description          = 'Kubernetes API-server auditing from PowerShell: stream typed audit events from real logs, validate and evaluate audit policies, and enable auditing safely on control-plane nodes.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    # Dependency-free types users can name ([KubeAudit.AuditEvent]); the engine and YamlDotNet
    # load from Dependencies/ in KubeAudit's own load context and are deliberately not listed.
    RequiredAssemblies   = @('KubeAudit.Model.dll')
    FormatsToProcess     = @('KubeAudit.Format.ps1xml')
    CmdletsToExport      = @(
        'Get-KubeAuditEvent'
        'Get-KubeAuditPolicy'
        'Export-KubeAuditEvent'
        'Send-KubeAuditEvent'
        'ConvertFrom-KubeAuditEvent'
        'Test-KubeAuditPolicy'
        'Resolve-KubeAuditLevel'
        'Measure-KubeAuditPolicy'
        'New-KubeAuditPolicy'
        'Get-KubeApiServerAuditConfig'
        'Enable-KubeApiServerAudit'
        'Disable-KubeApiServerAudit'
        'Find-KubeAuditThreat'
        'Get-KubeAuditThreatRule'
        'Get-KubeAuditComplianceCheck'
        'Invoke-KubeAuditCompliance'
        'New-KubeAuditRbacPolicy'
        'Compare-KubeAuditRbac'
        'Receive-KubeAuditEvent'
        'New-KubeAuditWebhookConfig'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            ProjectUri   = 'https://github.com/kubeaudit/KubeAudit'
            LicenseUri   = 'https://github.com/kubeaudit/KubeAudit/blob/main/LICENSE'
            # Stamped by build.ps1 from the CHANGELOG.md section of this version.
            ReleaseNotes = ''
            Tags         = @('Kubernetes', 'Audit', 'Security', 'Compliance', 'CIS', 'k8s', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
        }
    }
}
