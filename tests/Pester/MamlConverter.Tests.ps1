#Requires -Version 7.0
# Pester 5 tests for tools/ConvertTo-MamlHelp.ps1.
#
# The converter is proven end to end: the fixture markdown is converted, the
# MAML is attached to a real function through '# .ExternalHelp', and the
# assertions are made on what Get-Help returns, not on the XML text alone.

BeforeAll {
    $script:Converter = Join-Path $PSScriptRoot '../../tools/ConvertTo-MamlHelp.ps1'
    $script:FixtureDir = Join-Path $PSScriptRoot 'fixtures/help'

    # Same layout as the real module: <ModuleBase>/en-US/<name>-Help.xml.
    $script:ModuleDir = Join-Path $TestDrive 'SampleModule'
    $script:MamlFile = Join-Path $ModuleDir 'en-US/Sample-Help.xml'
    $script:Written = & $Converter -Path $FixtureDir -OutputPath $MamlFile -PassThru

    # The function the fixture documents: two parameter sets, a positional
    # wildcard parameter taking pipeline input by value, a by-property-name
    # parameter with aliases, a parameter shared by both sets, and a switch.
    Set-Content -LiteralPath (Join-Path $ModuleDir 'SampleModule.psm1') -Value @'
function Get-Sample {
    # .ExternalHelp Sample-Help.xml
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Path', ValueFromPipeline)]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter(Mandatory, ParameterSetName = 'LiteralPath', ValueFromPipelineByPropertyName)]
        [Alias('PSPath', 'LP')]
        [string[]] $LiteralPath,

        [Parameter(Position = 1)]
        [SupportsWildcards()]
        [string] $Filter = '*',

        [switch] $Recurse
    )
    process { }
}
'@
    Import-Module (Join-Path $ModuleDir 'SampleModule.psm1') -Force

    $script:Help = Get-Help -Name Get-Sample -Full
    $script:HelpText = $Help | Out-String -Width 250

    # Get-Help ends every para but the last with a newline.
    function script:Get-ParaText([object[]] $Paras) { @($Paras | ForEach-Object { $_.Text.Trim() }) }
}

AfterAll {
    Remove-Module SampleModule -Force -ErrorAction SilentlyContinue
}

Describe 'ConvertTo-MamlHelp.ps1 output file' {
    BeforeAll {
        $script:Xml = [xml](Get-Content -LiteralPath $MamlFile -Raw)
        $script:Ns = @{
            msh     = 'http://msh'
            maml    = 'http://schemas.microsoft.com/maml/2004/10'
            command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
            dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
        }
    }

    It 'returns the files it wrote when asked with -PassThru' {
        $Written.Name | Should -Be @('Sample-Help.xml', 'about_Sample.help.txt')
    }

    It 'is well-formed MAML with a helpItems root and one command' {
        $Xml.DocumentElement.LocalName | Should -Be 'helpItems'
        $Xml.DocumentElement.NamespaceURI | Should -Be 'http://msh'
        $Xml.DocumentElement.GetAttribute('schema') | Should -Be 'maml'
        $names = Select-Xml -Xml $Xml -Namespace $Ns -XPath '/msh:helpItems/command:command/command:details/command:name'
        $names.Node.InnerText | Should -Be 'Get-Sample'
    }

    It 'declares the maml, command and dev namespaces on the command element' {
        $command = (Select-Xml -Xml $Xml -Namespace $Ns -XPath '//command:command').Node
        $command.GetAttribute('xmlns:maml') | Should -Be $Ns.maml
        $command.GetAttribute('xmlns:dev') | Should -Be $Ns.dev
        $command.NamespaceURI | Should -Be $Ns.command
    }

    It 'escapes XML special characters in text' {
        $raw = Get-Content -LiteralPath $MamlFile -Raw
        $raw | Should -Match ([regex]::Escape('[ or ] &amp; the path must be taken &lt;as is&gt;.'))
    }

    It 'writes one syntax item per parameter set, positional parameters first' {
        $items = Select-Xml -Xml $Xml -Namespace $Ns -XPath '//command:syntax/command:syntaxItem'
        $items.Count | Should -Be 2
        $nsm = [System.Xml.XmlNamespaceManager]::new($Xml.NameTable)
        $Ns.GetEnumerator() | ForEach-Object { $nsm.AddNamespace($_.Key, $_.Value) }
        $paramNames = { param($item) @($item.Node.SelectNodes('command:parameter/maml:name', $nsm) | ForEach-Object InnerText) }
        & $paramNames $items[0] | Should -Be @('Path', 'Filter', 'Recurse')
        & $paramNames $items[1] | Should -Be @('Filter', 'LiteralPath', 'Recurse')
    }

    It 'omits the value of a switch inside syntax but types it in parameters' {
        $inSyntax = Select-Xml -Xml $Xml -Namespace $Ns -XPath "//command:syntaxItem/command:parameter[maml:name='Recurse']/command:parameterValue"
        $inSyntax | Should -BeNullOrEmpty
        $inParameters = Select-Xml -Xml $Xml -Namespace $Ns -XPath "//command:parameters/command:parameter[maml:name='Recurse']/command:parameterValue"
        $inParameters.Node.InnerText | Should -Be 'SwitchParameter'
        $inParameters.Node.GetAttribute('required') | Should -Be 'false'
    }

    It 'converts about_Sample.md to about_Sample.help.txt next to the MAML file' {
        $about = Join-Path $ModuleDir 'en-US/about_Sample.help.txt'
        $about | Should -Exist
        $text = Get-Content -LiteralPath $about -Raw
        $text | Should -MatchExactly '(?m)^TOPIC\r?\n    about_Sample'
        $text | Should -Match '(?m)^SHORT DESCRIPTION\r?\n    Explains how sample records are read\.'
        $text | Should -Match '(?m)^        Get-Sample -Path \./samples/audit\.log'
        $text | Should -Not -Match '```'
    }
}

Describe 'Get-Help reads the converted help' {
    It 'returns the synopsis' {
        $Help.Synopsis | Should -Be 'Gets sample records from files.'
    }

    It 'returns the description paragraphs' {
        Get-ParaText $Help.description | Should -Be @(
            'The Get-Sample cmdlet reads sample records from one or more files and writes one object per record.'
            'Use the LiteralPath parameter when a file name contains characters such as [ or ] & the path must be taken <as is>.'
        )
    }

    It 'shows both parameter sets in the syntax' {
        $HelpText | Should -Match ([regex]::Escape('Get-Sample [-Path] <String[]> [[-Filter] <String>] [-Recurse] [<CommonParameters>]'))
        $HelpText | Should -Match ([regex]::Escape('Get-Sample [[-Filter] <String>] -LiteralPath <String[]> [-Recurse] [<CommonParameters>]'))
    }

    It 'documents -<Name>' -TestCases @(
        @{ Name = 'Path'; Description = 'Specifies the path to one or more files. Wildcard characters are permitted.'
            Required = 'true'; Position = '0'; PipelineInput = 'True (ByValue)'; Globbing = 'true'; Aliases = 'none'; Type = 'String[]'; Default = 'None' }
        @{ Name = 'LiteralPath'; Description = 'Specifies a path that is used exactly as it is typed.'
            Required = 'true'; Position = 'named'; PipelineInput = 'True (ByPropertyName)'; Globbing = 'false'; Aliases = 'PSPath, LP'; Type = 'String[]'; Default = 'None' }
        @{ Name = 'Filter'; Description = 'Selects records whose name matches this pattern.'
            Required = 'false'; Position = '1'; PipelineInput = 'False'; Globbing = 'true'; Aliases = 'none'; Type = 'String'; Default = '*' }
        @{ Name = 'Recurse'; Description = 'Indicates that nested archives are read too.'
            Required = 'false'; Position = 'named'; PipelineInput = 'False'; Globbing = 'false'; Aliases = 'none'; Type = 'SwitchParameter'; Default = 'False' }
    ) {
        $parameter = $Help.parameters.parameter | Where-Object name -EQ $Name
        $parameter | Should -HaveCount 1
        Get-ParaText $parameter.description | Should -Be $Description
        $parameter.required | Should -Be $Required
        $parameter.position | Should -Be $Position
        $parameter.pipelineInput | Should -Be $PipelineInput
        $parameter.globbing | Should -Be $Globbing
        $parameter.aliases | Should -Be $Aliases
        $parameter.type.name | Should -Be $Type
        $parameter.defaultValue | Should -Be $Default
    }

    It 'lists the parameters in document order' {
        $Help.parameters.parameter.name | Should -Be @('Path', 'LiteralPath', 'Filter', 'Recurse')
    }

    It 'returns both examples with title, code without prompt, and remarks' {
        $examples = @($Help.examples.example)
        $examples | Should -HaveCount 2

        $examples[0].title | Should -Match '^-+ Example 1: Read one file -+$'
        $examples[0].code | Should -Be 'Get-Sample -Path ./samples/audit.log'
        Get-ParaText $examples[0].remarks | Should -Be 'This command reads every record in audit.log.'

        $examples[1].title | Should -Match '^-+ Example 2: Read files from the pipeline -+$'
        ($examples[1].code -replace '\r\n', "`n") | Should -Be "Get-ChildItem ./samples -Filter *.log |`n    Get-Sample -Recurse"
        Get-ParaText $examples[1].remarks | Should -Be @(
            'Get-ChildItem emits file objects; their PSPath property binds to LiteralPath.'
            'The Recurse switch also reads nested archives.'
        )
        $HelpText | Should -Not -Match 'PS C:\\> Get-ChildItem|PS> Get-Sample'
    }

    It 'returns the input type' {
        $Help.inputTypes.inputType.type.name | Should -Be 'System.String[]'
        Get-ParaText $Help.inputTypes.inputType.description | Should -Be 'You can pipe a path to this cmdlet.'
    }

    It 'returns the output type' {
        $Help.returnValues.returnValue.type.name | Should -Be 'Sample.Record'
        Get-ParaText $Help.returnValues.returnValue.description | Should -Be 'One object per record.'
    }

    It 'returns the notes' {
        Get-ParaText $Help.alertSet.alert | Should -Be 'Records larger than 1 MB are skipped.'
    }

    It 'returns the related links, keeping only absolute URIs' {
        $links = @($Help.relatedLinks.navigationLink)
        $links.linkText | Should -Be @('Online Version:', 'about_Sample', 'Sample format specification: https://example.com/spec/sample-format')
        $links[0].uri | Should -Be 'https://example.com/help/Get-Sample'
        $links[1].uri | Should -BeNullOrEmpty
    }

    It 'opens only the online version with -Online: other pages keep their address in the link text' {
        # Get-Help -Online opens the first link that has a uri, so only 'Online Version:' may have one.
        @($Help.relatedLinks.navigationLink | Where-Object { $_.uri }).linkText | Should -Be @('Online Version:')
        $links = @($Help.relatedLinks.navigationLink)
        $links[2].uri | Should -BeNullOrEmpty
    }
}

Describe 'Malformed markdown' {
    BeforeAll {
        # Copies the fixture with a text edit applied; returns the new file.
        function script:New-BrokenFixture([string] $Name, [scriptblock] $Edit) {
            $dir = Join-Path $TestDrive "broken-$Name"
            New-Item -ItemType Directory -Path $dir -Force | Out-Null
            $text = & $Edit (Get-Content -LiteralPath (Join-Path $FixtureDir 'Get-Sample.md') -Raw)
            $file = Join-Path $dir 'Get-Sample.md'
            Set-Content -LiteralPath $file -Value $text -NoNewline
            Get-Item -LiteralPath $file
        }
        # 1-based number of the first line equal to $Line.
        function script:Get-LineNumber([string] $File, [string] $Line) {
            (Select-String -LiteralPath $File -Pattern "^$([regex]::Escape($Line))$" | Select-Object -First 1).LineNumber
        }
    }

    It 'fails with file and line when ## SYNOPSIS is missing, and writes nothing' {
        $file = New-BrokenFixture 'synopsis' { param($t) $t -replace '## SYNOPSIS\r?\nGets sample records from files\.\r?\n\r?\n', '' }
        $out = Join-Path $file.DirectoryName 'out/Sample-Help.xml'
        $expectedLine = Get-LineNumber $file.FullName '## SYNTAX'

        { & $Converter -Path $file.DirectoryName -OutputPath $out } |
            Should -Throw -ExpectedMessage "$($file.FullName):${expectedLine}: missing required section '## SYNOPSIS'*" -ErrorId 'MamlHelpSchemaError'
        $out | Should -Not -Exist
    }

    It 'fails with file and line on an unknown parameter metadata key' {
        $file = New-BrokenFixture 'yamlkey' { param($t) $t -replace 'Accept wildcard characters: True', 'Accepts wildcards: True' }
        $expectedLine = Get-LineNumber $file.FullName 'Accepts wildcards: True'

        { & $Converter -Path $file.FullName -OutputPath (Join-Path $TestDrive 'unused/Sample-Help.xml') } |
            Should -Throw -ExpectedMessage "*Get-Sample.md:${expectedLine}: unknown parameter metadata key 'Accepts wildcards'"
    }

    It 'fails with file and line when a parameter names an undeclared parameter set' {
        $file = New-BrokenFixture 'paramset' { param($t) $t -replace 'Parameter Sets: LiteralPath', 'Parameter Sets: Literal' }

        { & $Converter -Path $file.FullName -OutputPath (Join-Path $TestDrive 'unused/Sample-Help.xml') } |
            Should -Throw -ExpectedMessage "*Get-Sample.md:*: parameter '-LiteralPath' names parameter set 'Literal', which is not listed under '## SYNTAX'"
    }
}

Describe 'ConvertTo-MamlHelp.ps1 on a machine with platyPS installed' {
    It 'writes the same MAML itself instead of calling platyPS' {
        # A stand-in platyPS whose New-ExternalHelp leaves a mark: the converter must not use it.
        $modules = Join-Path $TestDrive 'fake-modules'
        $fake = New-Item -ItemType Directory -Force (Join-Path $modules 'platyPS/0.14.2')
        Set-Content (Join-Path $fake 'platyPS.psm1') 'function New-ExternalHelp { param($Path, $OutputPath, [switch] $Force) Set-Content (Join-Path $OutputPath "platyPS-was-here.txt") "used" }'
        New-ModuleManifest (Join-Path $fake 'platyPS.psd1') -RootModule 'platyPS.psm1' -ModuleVersion '0.14.2' -FunctionsToExport 'New-ExternalHelp'
        $out = Join-Path $TestDrive 'with-platyps/en-US/Sample-Help.xml'
        $saved = $env:PSModulePath
        try {
            $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $saved
            Get-Module -ListAvailable platyPS | Should -Not -BeNullOrEmpty
            & $Converter -Path $FixtureDir -OutputPath $out
        }
        finally { $env:PSModulePath = $saved }
        Join-Path (Split-Path $out) 'platyPS-was-here.txt' | Should -Not -Exist
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $MamlFile).Hash
    }
}
