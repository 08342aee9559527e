#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, benchmarks and demonstrates KubeAudit.
.DESCRIPTION
    Build (default) assembles an importable module at out/KubeAudit. Test builds, runs the xunit
    and Pester suites and prints one closing line "N passed, N failed". Package builds and publishes
    the module with Publish-PSResource into the folder repository out/packages. Bench runs benchmarks.
    Demo runs the README example on the sample log. Clean removes build output.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Bench', 'Demo', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester version for the Pester suite (NuGet serves 5.7.1 and 6.2.0).
    [ValidateSet('5.7.1', '6.2.0')]
    [string] $PesterVersion = '5.7.1',

    # Bench only: instead of the full benchmark, time the reading commands of this git ref against this build.
    [string] $Baseline
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$PSStyle.OutputRendering = 'PlainText'

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'KubeAudit'
$ResultsDir = Join-Path $Out 'test-results'

. (Join-Path $Root 'tools/BuildHelpers.ps1')

function Invoke-TaskBuild {
    $version = Get-ProjectVersion -Root $Root
    # The whole solution, so the benchmark and the log generator build (and keep the style rules) with the module.
    Invoke-Native dotnet build (Join-Path $Root 'KubeAudit.sln') -c $Configuration --nologo -v quiet '-p:TreatWarningsAsErrors=true'
    $bin = Join-Path $Root "src/KubeAudit/bin/$Configuration/net8.0"

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $deps = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'Dependencies')

    # Every assembly has one deliberate place: the default load context (root) or ours (Dependencies).
    $rootFiles = 'KubeAudit.dll', 'KubeAudit.pdb', 'KubeAudit.Model.dll', 'KubeAudit.Model.pdb', 'KubeAudit.Model.xml'
    $dependencyFiles = 'KubeAudit.Core.dll', 'KubeAudit.Core.pdb', 'YamlDotNet.dll'
    # Receive-KubeAuditEvent's Kestrel 2.3 and what it pulls in (Microsoft.Extensions 8, System.IO.Pipelines).
    $dependencyFiles += Get-ChildItem $bin -Filter *.dll | Where-Object Name -match '^(Microsoft\.(AspNetCore|Extensions|Net\.Http\.Headers)|System\.IO\.Pipelines)' | ForEach-Object Name
    Copy-ModuleFiles -From $bin -To $ModuleOut -Name $rootFiles
    Copy-ModuleFiles -From $bin -To $deps.FullName -Name $dependencyFiles
    $stray = Get-ChildItem $bin -Filter *.dll | Where-Object Name -notin ($rootFiles + $dependencyFiles)
    if ($stray) { throw "Unplaced assemblies in ${bin}: $($stray.Name -join ', '). Add each to the root or Dependencies list in build.ps1." }

    Copy-Item (Join-Path $Root 'src/KubeAudit/KubeAudit.Format.ps1xml') $ModuleOut
    # The compliance suite and the Should operators ship as readable scripts users can copy.
    $compliance = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'Compliance')
    Copy-Item (Join-Path $Root 'src/KubeAudit/Compliance/*.ps1') $compliance.FullName
    $manifest = Get-Content -Raw (Join-Path $Root 'KubeAudit.psd1')
    $manifest = Set-ManifestField $manifest 'ModuleVersion' $version
    $manifest = Set-ManifestField $manifest 'ReleaseNotes' (Get-ReleaseNote -Root $Root -Version $version)
    Set-Content -Path (Join-Path $ModuleOut 'KubeAudit.psd1') -Value $manifest -NoNewline

    $helpOut = Join-Path $ModuleOut 'en-US/KubeAudit.dll-Help.xml'
    & (Join-Path $Root 'tools/ConvertTo-MamlHelp.ps1') -Path (Join-Path $Root 'docs/en-US') -OutputPath $helpOut
    Write-Host "Built KubeAudit $version at $ModuleOut"
}

function Invoke-TaskTest {
    Write-OptionalToolNote jq, gzip
    Invoke-TaskBuild
    if (Test-Path $ResultsDir) { Remove-Item $ResultsDir -Recurse -Force }
    $null = New-Item -ItemType Directory -Force $ResultsDir

    $core = Invoke-XunitSuite -Project (Join-Path $Root 'tests/KubeAudit.Core.Tests/KubeAudit.Core.Tests.csproj') `
        -Configuration $Configuration -ResultsDir $ResultsDir
    $pesterModule = Get-PesterModulePath -Root $Root -Version $PesterVersion
    $pester = Invoke-PesterSuite -Root $Root -PesterModule $pesterModule -ModulePath $ModuleOut -ResultsDir $ResultsDir

    $passed = $core.Passed + $pester.Passed
    $failed = $core.Failed + $pester.Failed
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped" -f $core.Passed, $core.Failed, $core.Skipped)
    Write-Host ("Pester {0}: {1} passed, {2} failed, {3} skipped" -f $PesterVersion, $pester.Passed, $pester.Failed, $pester.Skipped)
    if ($passed -eq 0) { $failed++ ; Write-Host 'No test ran.' }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-TaskPackage {
    Invoke-TaskBuild
    $packages = Join-Path $Out 'packages'
    $nupkg = Join-Path $packages "KubeAudit.$(Get-ProjectVersion -Root $Root).nupkg"
    # A repository refuses a version it already holds: each Package run replaces the package.
    if (Test-Path $nupkg) { Remove-Item $nupkg }
    Invoke-IsolatedPwsh -File (Join-Path $Root 'tools/Publish-ModulePackage.ps1') -Parameters @{ ModulePath = $ModuleOut; RepositoryPath = $packages }
    if (-not (Test-Path $nupkg)) { throw "Publish-PSResource did not write $nupkg." }
    Write-Host "Packaged $nupkg"
}

function Invoke-TaskDemo {
    Invoke-TaskBuild
    $psd1 = Join-Path $ModuleOut 'KubeAudit.psd1'
    $command = "`$PSStyle.OutputRendering = 'PlainText'; Import-Module '$psd1'; Set-Location '$Root'; " +
        'Get-KubeAuditEvent -Path ./samples/audit.log | Where-Object Verb -eq create | Format-Table' +
        ' | Out-String -Stream -Width 160' # a log or pipe has no terminal width; render as a wide terminal would
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -Command $command
}

function Invoke-TaskBench {
    Invoke-TaskBuild
    if ($Baseline) {
        $null = & (Join-Path $Root 'bench/Compare-Baseline.ps1') -ModulePath $ModuleOut -BaselineRef $Baseline
        return
    }
    & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath $ModuleOut
}

function Invoke-TaskClean {
    foreach ($dir in @($Out) + (Get-ChildItem $Root -Recurse -Directory -Include bin, obj | Where-Object FullName -notmatch '[\\/]\.git[\\/]')) {
        if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    }
}

foreach ($t in $Task) {
    Write-Host "== $t"
    & "Invoke-Task$t"
}
