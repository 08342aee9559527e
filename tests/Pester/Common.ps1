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

# Every folder, file (SHA-256) and link (target) under $Root, one sorted line each: equal lists mean an untouched tree.
function Get-TreeState([string] $Root) {
    @(Get-ChildItem -LiteralPath $Root -Recurse -Force -Attributes !ReparsePoint, ReparsePoint -ErrorAction Stop | ForEach-Object {
            $relative = [IO.Path]::GetRelativePath($Root, $_.FullName)
            if ($_.LinkTarget) { "L $relative -> $($_.LinkTarget)" }
            elseif ($_.PSIsContainer) { "D $relative" }
            else { "F $relative $((Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash)" }
        } | Sort-Object)
}

# Runs $Action once with -WhatIf and once for real; each must stop with $ErrorId and leave the tree under $Root as it was.
function Assert-RefusedAlike([string] $Root, [scriptblock] $Action, [string] $ErrorId) {
    $before = Get-TreeState $Root
    foreach ($whatIf in $true, $false) {
        $err = $null
        try { & $Action $whatIf *>$null } catch { $err = $_ }
        $run = if ($whatIf) { '-WhatIf' } else { 'the real run' }
        "$($err.FullyQualifiedErrorId)" | Should -BeLike "$ErrorId,*" -Because "$run must refuse with $ErrorId ($($err.Exception.Message))"
        Get-TreeState $Root | Should -Be $before -Because "$run must leave every file and folder as it was"
    }
}

# A valid policy of $Rules distinct rules (users, namespaces and groups cycling), large enough to take seconds to check:
# what the Ctrl+C tests stop mid-check.
function New-HugePolicy([string] $Path, [int] $Rules = 200000) {
    $text = [Text.StringBuilder]::new("apiVersion: audit.k8s.io/v1`nkind: Policy`nrules:`n")
    foreach ($i in 0..($Rules - 1)) {
        $null = $text.Append("- level: Request`n  users: [`"user-$($i % 97)`"]`n  namespaces: [`"ns-$($i % 131)`"]`n  resources:`n  - group: `"g$($i % 11)`"`n    resources: [`"res-$i`"]`n")
    }
    Set-Content -LiteralPath $Path $text.ToString()
    $Path
}

# A command running as a user's -Follow runs at a prompt: in a runspace of its own with the module imported, until
# Ctrl+C. Start-Background starts $Script there (its param block takes $ArgumentList); Wait-Until polls a condition;
# Stop-Background stops it as Ctrl+C does and says whether it ended within $Seconds.
function Start-Background([scriptblock] $Script, [object[]] $ArgumentList = @()) {
    # The module comes with the session state, not as a statement before the script: a batch of statements goes on
    # to its next one after a stop, on a runspace already closed, and that kills the process.
    $state = [initialsessionstate]::CreateDefault2()
    $state.ImportPSModule($script:ModuleManifest)
    $ps = [powershell]::Create($state)
    $null = $ps.AddScript($Script)
    foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
    [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
}

function Wait-Until([scriptblock] $Condition, [int] $Seconds = 20) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
    [bool](& $Condition)
}

function Stop-Background($Background, [int] $Seconds = 10, [switch] $KeepStreams) {
    try { $Background.PowerShell.BeginStop($null, $null).AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($Seconds)) }
    finally { if (-not $KeepStreams) { $Background.PowerShell.Dispose() } }
}
