# Dot-sourced by every test file: where things are, and the module under test.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = if ($env:KUBEAUDIT_MODULE) { $env:KUBEAUDIT_MODULE } else { Join-Path $RepoRoot 'out/KubeAudit/KubeAudit.psd1' }
$script:Corpus = if ($env:KUBEAUDIT_CORPUS) { $env:KUBEAUDIT_CORPUS } else { Join-Path $RepoRoot 'tests/corpus' }
$script:Packages = if ($env:KUBEAUDIT_PACKAGES) { $env:KUBEAUDIT_PACKAGES } else { ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim() }
# pwsh runs as a dotnet tool here: start children the same way, through the host's pwsh.dll.
$script:PwshDll = Join-Path $PSHOME 'pwsh.dll'

# Comparison tools the build does not install (.ci/run does): without them those tests are skipped, with the reason.
function Test-ExternalTool([string] $Name) { [bool](Get-Command $Name -CommandType Application -ErrorAction SilentlyContinue) }
$script:JqMissing = -not (Test-ExternalTool jq)
function Skip-UnlessTool([string[]] $Name) {
    $missing = @($Name | Where-Object { -not (Test-ExternalTool $_) })
    if ($missing) { Set-ItResult -Skipped -Because "$($missing -join ' and ') not installed (the comparison needs it; .ci/run installs it)" }
}

function Import-KubeAudit { Import-Module $script:ModuleManifest -Force -ErrorAction Stop }

# Runs a script in a fresh pwsh and returns its output lines (for load-context tests that need a clean session).
function Invoke-CleanPwsh([string] $Script) {
    $output = & dotnet $script:PwshDll -NoProfile -NonInteractive -Command $Script 2>&1
    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
}
