# Dependency isolation: KubeAudit's YamlDotNet must not collide with another module's.
BeforeDiscovery {
    $script:ForeignVersions = @('11.2.1', '13.7.1')
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    function Get-ForeignYaml([string] $Version) {
        # netstandard2.1 is the one target both old versions ship.
        $dll = Join-Path $Packages "yamldotnet/$Version/lib/netstandard2.1/YamlDotNet.dll"
        if (-not (Test-Path $dll)) { throw "YamlDotNet $Version is not restored at $dll (build.ps1 -Task Test restores it)." }
        $dll
    }
}

Describe 'Loading beside another YamlDotNet <_>' -ForEach $ForeignVersions {
    BeforeAll {
        $version = $_
        $foreign = Get-ForeignYaml $version
        # YamlDotNet stamps only the major version into its assembly version.
        $assemblyVersion = "$(([version]$version).Major).0.0.0"
    }

    It 'keeps its own YamlDotNet when another version was loaded first' {
        $result = Invoke-CleanPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$foreign'
Import-Module '$ModuleManifest'
`$policy = Get-KubeAuditPolicy -Path '$RepoRoot/samples/audit-policy.yaml'
'RULES=' + `$policy.Rules.Count
'VALID=' + (Test-KubeAuditPolicy -Path '$RepoRoot/samples/audit-policy.yaml')
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'YamlDotNet', 'KubeAudit.Core', 'KubeAudit.Model' }) {
    'ASM={0}|{1}|{2}' -f `$a.GetName().Name, `$a.GetName().Version, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$a).Name
}
# The session's own YamlDotNet still works for other code.
`$d = [YamlDotNet.Serialization.DeserializerBuilder]::new().Build()
'FOREIGN=' + `$d.Deserialize[hashtable]('a: 1')['a']
"@
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        $result.Output | Should -Contain 'RULES=7'
        $result.Output | Should -Contain 'VALID=True'
        $result.Output | Should -Contain 'FOREIGN=1'
        $yaml = $result.Output | Where-Object { $_ -like 'ASM=YamlDotNet|*' }
        $yaml | Should -HaveCount 2
        $yaml | Should -Contain "ASM=YamlDotNet|$assemblyVersion|Default"
        ($yaml | Where-Object { $_ -like '*|KubeAudit' }) | Should -Match '^ASM=YamlDotNet\|16\.'
        $result.Output | Where-Object { $_ -like 'ASM=KubeAudit.Core|*' } | Should -BeLike '*|KubeAudit'
        $result.Output | Where-Object { $_ -like 'ASM=KubeAudit.Model|*' } | Should -BeLike '*|Default'
    }

    It 'lets another YamlDotNet load and work after KubeAudit' {
        $result = Invoke-CleanPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$null = Get-KubeAuditPolicy -Path '$RepoRoot/samples/audit-policy.yaml'
Add-Type -Path '$foreign'
`$d = [YamlDotNet.Serialization.DeserializerBuilder]::new().Build()
'FOREIGN=' + `$d.Deserialize[hashtable]('b: 2')['b']
'VERSION=' + [YamlDotNet.Serialization.DeserializerBuilder].Assembly.GetName().Version
`$again = Get-KubeAuditPolicy -Path '$RepoRoot/samples/audit-policy.yaml'
'RULES=' + `$again.Rules.Count
"@
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        $result.Output | Should -Contain 'FOREIGN=2'
        $result.Output | Should -Contain "VERSION=$assemblyVersion"
        $result.Output | Should -Contain 'RULES=7'
    }
}

Describe 'Module layout' {
    BeforeAll {
        $moduleDir = Split-Path $ModuleManifest
    }

    It 'keeps the engine and YamlDotNet out of the default load context folder' {
        Test-Path (Join-Path $moduleDir 'YamlDotNet.dll') | Should -BeFalse
        Test-Path (Join-Path $moduleDir 'KubeAudit.Core.dll') | Should -BeFalse
        Test-Path (Join-Path $moduleDir 'Dependencies/YamlDotNet.dll') | Should -BeTrue
        Test-Path (Join-Path $moduleDir 'Dependencies/KubeAudit.Core.dll') | Should -BeTrue
        Test-Path (Join-Path $moduleDir 'Dependencies/KubeAudit.Model.dll') | Should -BeFalse
    }

    It 'never lists Dependencies in the manifest' {
        $manifest = Import-PowerShellDataFile $ModuleManifest
        @($manifest.RequiredAssemblies) + @($manifest.NestedModules) | Should -Not -Match 'YamlDotNet|Core'
    }

    It 'targets PowerShell 7.4 and later, Core edition' {
        $manifest = Import-PowerShellDataFile $ModuleManifest
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.ModuleVersion | Should -Not -Be '0.0.0'
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $result = Invoke-CleanPwsh "Import-Module '$ModuleManifest'; (Get-Command -Module KubeAudit).Name | Sort-Object"
        $manifest = Import-PowerShellDataFile $ModuleManifest
        $result.Output | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'lets users name its types' {
        $result = Invoke-CleanPwsh @"
Import-Module '$ModuleManifest'
`$e = Get-KubeAuditEvent -Path '$RepoRoot/samples/audit.log' | Select-Object -First 1
(`$e -is [KubeAudit.AuditEvent]), (`$e.User -is [KubeAudit.UserInfo]), ([KubeAudit.AuditPolicy].FullName)
"@
        $result.Output | Should -Be @('True', 'True', 'KubeAudit.AuditPolicy')
    }
}
