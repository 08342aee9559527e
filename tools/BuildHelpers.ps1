# Helpers for build.ps1, kept apart so the task list there stays readable.

function Invoke-Native {
    # Runs a program and fails the build when it fails (native exit codes don't throw by themselves).
    # No param block: arguments such as -c must reach the program, not bind to our parameters.
    $Command, $Arguments = $args
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-ProjectVersion {
    param([string] $Root)
    $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))
    $version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'No <Version> in Directory.Build.props.' }
    $version
}

function Get-ReleaseNote {
    # The CHANGELOG.md section of a version (Keep a Changelog: '## [0.2.0] - date' up to the next '## ').
    param([string] $Root, [string] $Version)
    $lines = Get-Content (Join-Path $Root 'CHANGELOG.md')
    $start = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match "^## \[$([regex]::Escape($Version))\]" })
    if ($start -lt 0) { throw "CHANGELOG.md has no '## [$Version]' section; add the release notes of $Version there." }
    $section = foreach ($line in $lines[($start + 1)..($lines.Count - 1)]) { if ($line -match '^## |^\[[^\]]+\]: ') { break }; $line }
    (($section -join "`n").Trim())
}

function Set-ManifestField {
    # Replaces the value of "Name = '...'" in manifest text with a single-quoted PowerShell string.
    param([string] $Text, [string] $Name, [string] $Value)
    $quoted = "'" + $Value.Replace("'", "''") + "'"
    $pattern = "(?m)^(\s*$Name\s*=\s*)'(?:[^']|'')*'"
    if ($Text -notmatch $pattern) { throw "KubeAudit.psd1 has no $Name = '...' line to stamp." }
    [regex]::Replace($Text, $pattern, { param($m) $m.Groups[1].Value + $quoted }, 'None')
}

function Copy-ModuleFiles {
    param([string] $From, [string] $To, [string[]] $Name)
    foreach ($file in $Name) {
        $source = Join-Path $From $file
        if (-not (Test-Path $source)) { throw "Build output is missing $source." }
        Copy-Item $source $To
    }
}

function Get-NuGetPackagesFolder {
    # The one packages folder every project restores into (NuGet's global folder, or NUGET_PACKAGES).
    $line = dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals failed.' }
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Get-PesterModulePath {
    param([string] $Root, [string] $Version)
    Invoke-Native dotnet restore (Join-Path $Root 'tools/TestDependencies/TestDependencies.csproj') --nologo -v quiet
    $psd1 = Join-Path (Get-NuGetPackagesFolder) "pester/$Version/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) { throw "Pester $Version was not restored to $psd1." }
    $psd1
}

function Invoke-XunitSuite {
    param([string] $Project, [string] $Configuration, [string] $ResultsDir)
    $trx = 'core.trx'
    dotnet test $Project -c $Configuration --nologo --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $ResultsDir | Out-Host
    $trxPath = Join-Path $ResultsDir $trx
    if (-not (Test-Path $trxPath)) { throw "xunit produced no results ($trxPath); see the build output above." }
    $counters = ([xml](Get-Content -Raw $trxPath)).TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$counters.passed
        Failed  = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        # A skipped xunit test is in total but not executed; notExecuted stays 0 in the trx VSTest writes.
        Skipped = [math]::Max([int]$counters.notExecuted, [int]$counters.total - [int]$counters.executed)
    }
}

function Invoke-PesterSuite {
    # Runs Pester in a child pwsh so the freshly built module is loaded clean, as a user would load it.
    param([string] $Root, [string] $PesterModule, [string] $ModulePath, [string] $ResultsDir)
    $summary = Join-Path $ResultsDir 'pester-summary.json'
    dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Invoke-PesterSuite.ps1') `
        -PesterModule $PesterModule -ModulePath $ModulePath -PackagesFolder (Get-NuGetPackagesFolder) -TestPath (Join-Path $Root 'tests/Pester') -ResultsDir $ResultsDir -SummaryPath $summary | Out-Host
    if (-not (Test-Path $summary)) { throw "Pester produced no summary (exit code $LASTEXITCODE); see the output above." }
    Get-Content -Raw $summary | ConvertFrom-Json
}

function Invoke-IsolatedPwsh {
    # Runs a script file in a child pwsh whose per-user data folder (where PSResourceGet keeps its repository
    # list and CurrentUser modules) is a temporary one, so the user's configuration is never touched.
    # XDG_DATA_HOME decides that folder on Linux and macOS; Windows has no such switch, and there the
    # one-off repository registration is taken back by the script itself.
    param([string] $File, [hashtable] $Parameters = @{})
    $data = Join-Path ([IO.Path]::GetTempPath()) "kubeaudit-data-$([guid]::NewGuid().ToString('N'))"
    $saved = $env:XDG_DATA_HOME
    try {
        $env:XDG_DATA_HOME = $data
        $arguments = foreach ($key in $Parameters.Keys) { "-$key"; $Parameters[$key] }
        Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File $File @arguments
    }
    finally {
        $env:XDG_DATA_HOME = $saved
        if (Test-Path $data) { Remove-Item $data -Recurse -Force }
    }
}

function Write-OptionalToolNote {
    # The build installs nothing: where a comparison tool is missing its tests are reported as skipped
    # (with the reason); .ci/run installs the tools so CI skips none.
    param([string[]] $Name)
    foreach ($tool in $Name) {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) {
            Write-Host "'$tool' not found: the tests that compare with it will be reported as skipped."
        }
    }
}

function Get-DuckDbRow {
    # DuckDB through its node bindings, installed into the bench work folder; skipped (with a note) where it can't be.
    param([string] $Work, [string] $Log)
    if (-not (Get-Command node -ErrorAction SilentlyContinue) -or -not (Get-Command npm -ErrorAction SilentlyContinue)) {
        Write-Host 'DuckDB row skipped: node/npm not found.'
        return $null
    }
    $dir = Join-Path $Work 'duckdb'
    if (-not (Test-Path (Join-Path $dir 'node_modules/@duckdb/node-api'))) {
        $null = New-Item -ItemType Directory -Force $dir
        Push-Location $dir
        try {
            npm init -y *> $null
            npm install --no-audit --no-fund '@duckdb/node-api' *> (Join-Path $dir 'npm.log')
            if ($LASTEXITCODE -ne 0) { Write-Host "DuckDB row skipped: npm install failed (see $dir/npm.log)."; return $null }
        }
        finally { Pop-Location }
    }
    $script = Join-Path $dir 'count.mjs'
    Set-Content $script @'
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const reader = await connection.runAndReadAll(`select count(*) as n from read_json('${process.argv[2]}', format='newline_delimited') where verb='create'`);
console.log(String(reader.getRows()[0][0]));
'@
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $out = node $script $Log 2>&1
    if ($LASTEXITCODE -ne 0) { Write-Host "DuckDB row skipped: $($out | Select-Object -Last 1)"; return $null }
    [pscustomobject]@{ Seconds = $sw.Elapsed.TotalSeconds; Count = [long](($out | Select-Object -Last 1).ToString().Trim()); PeakMB = $null }
}
