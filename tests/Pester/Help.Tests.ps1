# Every exported command has complete help, compiled from docs/en-US, with examples that run.
BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $script:Commands = (Import-PowerShellDataFile $ModuleManifest).CmdletsToExport | ForEach-Object { @{ Name = $_ } }
    $script:Topics = Get-ChildItem (Join-Path $RepoRoot 'docs/en-US') -Filter 'about_*.md' | Sort-Object Name |
        ForEach-Object { @{ Topic = $_.BaseName; Source = $_.FullName } }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/ClickHouse.ps1
    Import-KubeAudit
    # Examples titled "(needs a store)" talk to ClickHouse at http://localhost:8123: they run against a server started
    # here (once, on a free port, holding the sample log), or are reported as skipped without one.
    $script:StoreServer = $null
    function Get-ExampleStore {
        if (-not $script:StoreServer) {
            $script:StoreServer = Start-TestClickHouse
            $null = Send-KubeAuditEvent -Path (Join-Path $RepoRoot 'samples/audit.log') -Uri $script:StoreServer.Uri -Engine ClickHouse -Table audit.events -CreateTable
        }
        $script:StoreServer
    }
    # WhatIf and Confirm are documented where a command has them, so only the always-present ones are left out.
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters
}

Describe 'Help for <Name>' -ForEach $Commands {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $declared = @($command.Parameters.Keys | Where-Object { $_ -notin $common })
        $documented = @($help.parameters.parameter | ForEach-Object name)
    }

    It 'has a markdown source in docs/en-US' {
        Test-Path (Join-Path $RepoRoot "docs/en-US/$Name.md") | Should -BeTrue
    }

    It 'has a synopsis and a description from the MAML file' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML, PowerShell falls back to the syntax line as the synopsis.
        $help.Synopsis | Should -Not -BeLike "$Name *"
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'documents every parameter' {
        $declared | Where-Object { $_ -notin $documented } | Should -BeNullOrEmpty -Because 'each parameter needs a ### -Name section'
    }

    It 'documents no parameter the command lacks' {
        $documented | Where-Object { $_ -notin $declared } | Should -BeNullOrEmpty
    }

    It 'describes each parameter' {
        foreach ($p in $help.parameters.parameter) {
            ($p.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($p.name) needs a description"
        }
    }

    It 'has at least two examples' {
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }

    It 'has inputs and outputs' {
        $help.inputTypes | Should -Not -BeNullOrEmpty
        $help.returnValues | Should -Not -BeNullOrEmpty
    }

    It 'has examples that run against the shipped samples, print something, and change nothing they did not create' {
        # A scratch copy laid out like the repository (examples read ./samples), and a temporary folder
        # of its own, for examples that make theirs. The examples must leave both the copy and the
        # repository exactly as they were: anything they write goes to a temporary folder they create.
        $playground = Join-Path $TestDrive "examples-$Name"
        $null = New-Item -ItemType Directory $playground
        Copy-Item (Join-Path $RepoRoot 'samples') $playground -Recurse
        $temp = New-Item -ItemType Directory (Join-Path $TestDrive "temp-$Name")
        $needsStore = @($help.examples.example | Where-Object { $_.title -match '\(needs a store\)' })
        $store = if ($needsStore -and -not $ClickHouseMissing) { Get-ExampleStore }
        $snapshot = { Get-ChildItem $playground -Recurse -Force | ForEach-Object { '{0} {1}' -f $_.FullName.Substring($playground.Length), $(if (-not $_.PSIsContainer) { (Get-FileHash $_.FullName).Hash }) } }
        $before = & $snapshot
        $repoBefore = git -C $RepoRoot status --porcelain
        $savedTemp = $env:TMPDIR, $env:TEMP, $env:TMP
        $env:TMPDIR = $env:TEMP = $env:TMP = $temp.FullName
        Push-Location $playground
        try {
            foreach ($example in $help.examples.example) {
                $code = ($example.code -split "`n" | ForEach-Object { $_ -replace '^PS>\s*', '' }) -join "`n"
                if ($example.title -match '\(needs a store\)') {
                    if (-not $store) { continue }
                    $code = $code.Replace('http://localhost:8123', $store.Uri)
                }
                $block = [scriptblock]::Create("`$ErrorActionPreference = 'Stop'`n$code")
                $output = & $block | Out-String
                if ($code -notmatch '-WhatIf') {
                    # -WhatIf reports to the host, not the output.
                    $output.Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.title.Trim('- '))' should print"
                }
            }
        }
        finally {
            Pop-Location
            $env:TMPDIR, $env:TEMP, $env:TMP = $savedTemp
        }
        & $snapshot | Should -Be $before -Because 'examples must not change or add files where they run'
        git -C $RepoRoot status --porcelain | Should -Be $repoBefore
        if ($needsStore -and -not $store) { Set-ItResult -Skipped -Because "$($needsStore.Count) example(s) need a store: $ClickHouseSkipReason" }
    }
}

AfterAll {
    Stop-TestClickHouse $script:StoreServer
}

Describe 'Help topic <Topic>' -ForEach $Topics {
    BeforeAll {
        $lines = @((Get-Help $Topic | Out-String -Width 250) -split '\r?\n')
        $markdown = Get-Content -LiteralPath $Source
        $commands = @(Get-Command -Module KubeAudit | ForEach-Object Name)
        # The markdown's short description: the paragraph under the SHORT DESCRIPTION heading.
        $at = [array]::FindIndex([string[]]$markdown, [Predicate[string]] { param($l) $l -match '^#+\s+SHORT DESCRIPTION\s*$' })
        $short = @($markdown[($at + 1)..($markdown.Count - 1)] | ForEach-Object -Begin { $started = $false; $done = $false } -Process {
                if ($done) { return }
                if ($_.Trim()) { $started = $true; $_.Trim() } elseif ($started) { $done = $true }
            }) -join ' '
        $seeAlso = [array]::IndexOf([string[]]$lines, 'SEE ALSO')
    }

    It 'starts with TOPIC and the topic name' {
        $lines[0] | Should -BeExactly 'TOPIC'
        $lines[1] | Should -BeExactly "    $Topic"
    }

    It 'has its short description on the line Get-Help reads as the synopsis' {
        $short | Should -Not -BeNullOrEmpty
        $lines[3] | Should -BeExactly 'SHORT DESCRIPTION'
        $lines[4] | Should -BeExactly "    $short"
        (Get-Help $Topic).Synopsis | Should -BeExactly $short
    }

    It 'keeps every code sample as indented lines, as written' {
        $text = $lines -join "`n"
        # Code in the markdown: ``` fences, and runs of lines indented four spaces after a blank line.
        $source = $markdown -join "`n"
        $samples = @(
            [regex]::Matches($source, '(?ms)^```[^\n]*\n(.*?)\n```') | ForEach-Object { , @($_.Groups[1].Value -split "`n") }
            [regex]::Matches(($source -replace '(?ms)^```.*?^```', ''), '(?m)(?<=\n\n)((?: {4}\S[^\n]*(?:\n|$))+)') | ForEach-Object { , @($_.Groups[1].Value.TrimEnd("`n") -split "`n" | ForEach-Object { $_.Substring(4) }) }
        )
        $samples.Count | Should -BeGreaterThan 0
        foreach ($sample in $samples) {
            $indented = ($sample | ForEach-Object { ('        ' + $_).TrimEnd() }) -join "`n"
            $text | Should -BeLikeExactly "*$([WildcardPattern]::Escape($indented))*"
        }
    }

    It 'lists every exported command under SEE ALSO, one per line' {
        $seeAlso | Should -BeGreaterThan 0
        $listed = @($lines[($seeAlso + 1)..($lines.Count - 1)] | ForEach-Object { $_.Trim() } | Where-Object { $_ })
        $commands | Where-Object { $_ -notin $listed } | Should -BeNullOrEmpty
    }

    It 'describes the module as it is' {
        $lines | Where-Object { $_ -match 'later release|future release|not yet|coming soon' } | Should -BeNullOrEmpty
    }
}

Describe 'The command-name story' {
    It 'README and about_KubeAudit say why some nouns do not start with KubeAudit, and how to list the commands' {
        $about = Get-Help about_KubeAudit | Out-String -Width 250
        $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
        foreach ($text in $about, $readme) {
            $text | Should -Match 'Get-Command -Module KubeAudit'
            foreach ($name in (Get-Command -Module KubeAudit | Where-Object Noun -notlike 'KubeAudit*').Name) {
                $text | Should -Match ([regex]::Escape($name))
            }
            $text | Should -Match 'start with KubeAudit'
        }
    }
}
