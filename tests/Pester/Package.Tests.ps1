# The packaged module installs by name from a folder repository, the way README says, in sessions whose
# home and per-user data folder (repository list, CurrentUser modules) are temporary: the user's setup is untouched.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:ModuleFolder = Split-Path $ModuleManifest
    $script:Version = (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
    $script:Repository = Join-Path $TestDrive 'packages'
    $script:UserHome = Join-Path $TestDrive 'home'
    $script:Data = Join-Path $UserHome '.local/share'
    $script:UserRepositories = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
    $script:UserRepositoriesBefore = if (Test-Path $UserRepositories) { (Get-FileHash $UserRepositories).Hash } else { 'absent' }
    $script:UserInstall = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) "powershell/Modules/KubeAudit/$Version"
    $script:UserInstallBefore = Test-Path $UserInstall

    # A new session, as a user opens one, with its home in the test drive. pwsh finds the user's modules
    # through XDG_DATA_HOME, PSResourceGet installs them under HOME: both point into the test drive.
    function Invoke-UserSession([string] $Script, [hashtable] $Environment = @{}) {
        $file = Join-Path $TestDrive "session-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -LiteralPath $file -Value $Script
        $saved = @{}
        $Environment['HOME'] = $UserHome
        $Environment['XDG_DATA_HOME'] = $Data
        foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
        try { $output = & dotnet $PwshDll -NoProfile -NonInteractive -File $file 2>&1 }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }
}

Describe 'Install-PSResource KubeAudit from the packaged folder repository' {
    BeforeAll {
        if ($IsWindows) { return }
        $publish = Invoke-UserSession "& '$RepoRoot/tools/Publish-ModulePackage.ps1' -ModulePath '$ModuleFolder' -RepositoryPath '$Repository'"
        $whatIf = Invoke-UserSession @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name KubeAuditWhatIf -Uri '$(Join-Path $TestDrive 'whatif')' -Trusted
try { Publish-PSResource -Path '$ModuleFolder' -Repository KubeAuditWhatIf -WhatIf -WarningVariable warned; 'warnings: ' + @(`$warned).Count }
finally { Unregister-PSResourceRepository -Name KubeAuditWhatIf }
"@
        $install = Invoke-UserSession @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name KubeAuditLocal -Uri '$Repository' -Trusted
try { Install-PSResource KubeAudit -Repository KubeAuditLocal -Scope CurrentUser -Quiet }
finally { Unregister-PSResourceRepository -Name KubeAuditLocal }
'repositories: ' + ((Get-PSResourceRepository).Name -join ',')
"@
        # A new session that knows nothing of the build: PSModulePath is pwsh's default for that user.
        $use = Invoke-UserSession @"
`$ErrorActionPreference = 'Stop'
Import-Module KubeAudit
`$m = Get-Module KubeAudit
'base: ' + `$m.ModuleBase
'version: ' + `$m.Version
'first: ' + (Get-KubeAuditEvent -Path '$RepoRoot/samples/audit.log' | Select-Object -First 1).AuditId
'synopsis: ' + (Get-Help Get-KubeAuditEvent).Synopsis
"@ -Environment @{ PSModulePath = $null }
        $use.Output | ForEach-Object { Write-Host "    $_" }
    }

    It 'Publish-PSResource writes KubeAudit.<version>.nupkg into the folder' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'Windows keeps the per-user module folder outside any environment variable; the install cannot be isolated there' }
        $publish.ExitCode | Should -Be 0 -Because ($publish.Output -join "`n")
        Join-Path $Repository "KubeAudit.$Version.nupkg" | Should -Exist
        $publish.Output | Where-Object { $_ -cmatch '^WARNING:' } | Should -BeNullOrEmpty
    }

    It 'Publish-PSResource -WhatIf raises no warning' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'Windows keeps the per-user module folder outside any environment variable; the install cannot be isolated there' }
        $whatIf.ExitCode | Should -Be 0 -Because ($whatIf.Output -join "`n")
        $whatIf.Output | Should -Contain 'warnings: 0'
        $whatIf.Output | Where-Object { $_ -cmatch '^WARNING:' } | Should -BeNullOrEmpty
    }

    It 'installs by name and leaves no repository registered' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'Windows keeps the per-user module folder outside any environment variable; the install cannot be isolated there' }
        $install.ExitCode | Should -Be 0 -Because ($install.Output -join "`n")
        $install.Output | Should -Contain 'repositories: PSGallery'
        Join-Path $Data "powershell/Modules/KubeAudit/$Version/KubeAudit.psd1" | Should -Exist
    }

    It 'imports by name in a new session and runs a command from the installed copy' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'Windows keeps the per-user module folder outside any environment variable; the install cannot be isolated there' }
        $use.ExitCode | Should -Be 0 -Because ($use.Output -join "`n")
        $use.Output | Should -Contain "base: $(Join-Path $Data "powershell/Modules/KubeAudit/$Version")"
        $use.Output | Should -Contain "version: $Version"
        $firstId = (Get-Content "$RepoRoot/samples/audit.log" -TotalCount 1 | ConvertFrom-Json).auditID
        $use.Output | Should -Contain "first: $firstId"
        $use.Output | Should -Contain 'synopsis: Reads Kubernetes API-server audit events from log files as typed objects.'
    }

    It "leaves the user's own repository list and module folder as they were" {
        $after = if (Test-Path $UserRepositories) { (Get-FileHash $UserRepositories).Hash } else { 'absent' }
        $after | Should -Be $UserRepositoriesBefore
        Test-Path $UserInstall | Should -Be $UserInstallBefore
    }
}
