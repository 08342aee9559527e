# Every exported command has complete help, compiled from docs/en-US, with examples that run.
BeforeDiscovery {
    . $PSScriptRoot/Common.ps1
    $script:Commands = (Import-PowerShellDataFile $ModuleManifest).CmdletsToExport | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
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

    It 'has examples that run against the shipped samples and print something' {
        # A copy of the repository's samples, so examples that write files write them here.
        $playground = Join-Path $TestDrive "examples-$Name"
        $null = New-Item -ItemType Directory $playground
        Copy-Item (Join-Path $RepoRoot 'samples') $playground -Recurse
        Push-Location $playground
        try {
            foreach ($example in $help.examples.example) {
                $code = ($example.code -split "`n" | ForEach-Object { $_ -replace '^PS>\s*', '' }) -join "`n"
                $block = [scriptblock]::Create("`$ErrorActionPreference = 'Stop'`n$code")
                $output = & $block | Out-String
                if ($code -notmatch '-WhatIf') {
                    # -WhatIf reports to the host, not the output.
                    $output.Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.title.Trim('- '))' should print"
                }
            }
        }
        finally { Pop-Location }
    }
}

Describe 'about_KubeAudit' {
    It 'is installed as a help topic' {
        $moduleDir = Split-Path $ModuleManifest
        Get-Content -Raw (Join-Path $moduleDir 'en-US/about_KubeAudit.help.txt') | Should -Match 'Get-KubeAuditEvent'
    }
}
