# What a gallery shows comes from the built manifest: one version (Directory.Build.props), release notes
# from CHANGELOG.md, project and licence addresses, and -Online help that is the command's own page or none.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $script:Data = Import-PowerShellDataFile $ModuleManifest
    $script:PSData = $Data.PrivateData.PSData
    $script:PropsVersion = ([xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
}

Describe 'The built module manifest' {
    It 'passes Test-ModuleManifest without a warning or an error' {
        $module = Test-ModuleManifest -Path $ModuleManifest -WarningVariable warnings -ErrorVariable problems -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
        $module.Name | Should -Be 'KubeAudit'
        $module.Version | Should -Be ([version]$PropsVersion)
    }

    It 'has the version Directory.Build.props sets, the same as its assemblies' {
        $PropsVersion | Should -Match '^\d+\.\d+\.\d+$'
        $Data.ModuleVersion | Should -Be $PropsVersion
        $assembly = [Reflection.AssemblyName]::GetAssemblyName((Join-Path (Split-Path $ModuleManifest) 'KubeAudit.dll'))
        $assembly.Version.ToString(3) | Should -Be $PropsVersion
    }

    It 'carries the CHANGELOG.md section of that version as release notes' {
        $changelog = Get-Content -Raw (Join-Path $RepoRoot 'CHANGELOG.md')
        $section = [regex]::Match($changelog, "(?ms)^## \[$([regex]::Escape($PropsVersion))\][^\n]*\n(.*?)(?=^## |^\[[^\]]+\]: |\z)")
        $section.Success | Should -BeTrue -Because "CHANGELOG.md needs a '## [$PropsVersion]' section"
        $PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
        $PSData.ReleaseNotes.Replace("`r`n", "`n") | Should -BeExactly $section.Groups[1].Value.Replace("`r`n", "`n").Trim()
    }

    It 'names the project and its licence, which is the LICENSE file of the repository' {
        ([uri]$PSData.ProjectUri).IsAbsoluteUri | Should -BeTrue
        $PSData.LicenseUri | Should -BeLike "$($PSData.ProjectUri)/*/LICENSE"
        Join-Path $RepoRoot 'LICENSE' | Should -Exist
        Get-Content -Raw (Join-Path $RepoRoot 'LICENSE') | Should -Match 'Apache License\s+Version 2\.0, January 2004'
        $Data.Copyright | Should -Match 'Apache-2\.0'
    }

    It 'has no HelpInfoUri, as no updatable help is published' {
        $Data.Contains('HelpInfoUri') | Should -BeFalse
    }
}

Describe 'Online help of <Name>' -ForEach @(
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    Get-Command -Module KubeAudit | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } }
) {
    It 'is the command''s own markdown page, or none' {
        $uri = (Get-Command $Name).HelpUri
        if ($uri) { $uri | Should -BeLike "*/docs/en-US/$Name.md" }
    }
}
