<#
.SYNOPSIS
    Converts platyPS (schema 2.0.0) command markdown into a MAML help file.

.DESCRIPTION
    Reads every *.md file under -Path whose YAML front matter has an
    'external help file:' key, parses it strictly against the markdown schema
    that platyPS 0.14 New-MarkdownHelp writes, and writes one MAML file
    (-OutputPath) that Get-Help reads for the module's commands. The XML
    layout follows platyPS's MamlRenderer so the result matches what
    New-ExternalHelp would have produced.

    about_*.md files are not command help: each one is converted to plain text
    and written as about_<Name>.help.txt next to the MAML file.

    platyPS is never used, even where it is installed: the same markdown gives
    the same MAML on every machine.

    Get-Help -Online opens the first related link that has an address, so only
    the '[Online Version:](uri)' link keeps its address as a link; any other
    absolute link is written with its address in the link text instead, and
    -Online never opens a page that is not the command's own help.

.PARAMETER Path
    A folder containing the markdown files, or one or more markdown files.

.PARAMETER OutputPath
    Full path of the MAML file to write, for example
    out/KubeAudit/en-US/KubeAudit.dll-Help.xml. Its folder is created if needed.

.PARAMETER PassThru
    Return the files written (FileInfo). By default the script writes nothing
    to the pipeline, so build scripts can call it as a plain statement.

.EXAMPLE
    ./tools/ConvertTo-MamlHelp.ps1 -Path docs/en-US -OutputPath out/KubeAudit/en-US/KubeAudit.dll-Help.xml
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string[]] $Path,

    [Parameter(Mandatory)]
    [string] $OutputPath,

    [switch] $PassThru
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

#region Constants

$script:NsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$script:NsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:NsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$script:NsMsHelp = 'http://msdn.microsoft.com/mshelp'

# The ## sections New-MarkdownHelp always writes. All are required (they may
# be empty where noted in the parsers) so that a deleted or misspelled heading
# is caught at build time instead of silently shipping thinner help.
$script:RequiredSections = @(
    'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS',
    'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
)

# Keys platyPS writes (or accepts) in a parameter's ```yaml block.
$script:ParameterYamlKeys = @(
    'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position',
    'Default value', 'Accept pipeline input', 'Accept wildcard characters', 'Applicable'
)

$script:AllParameterSets = '(All)'

#endregion

#region Errors

# Every schema problem goes through here so the message always has the
# "file:line:" prefix editors and CI logs can jump to.
function New-SchemaError {
    param([string] $File, [int] $Line, [string] $Message)

    $exception = [System.IO.InvalidDataException]::new("${File}:${Line}: $Message")
    [System.Management.Automation.ErrorRecord]::new(
        $exception, 'MamlHelpSchemaError',
        [System.Management.Automation.ErrorCategory]::InvalidData, $File)
}

#endregion

#region Markdown tokenizer

# Splits the file into its YAML front matter (hashtable) and the remaining
# lines with their 1-based line numbers.
function Read-FrontMatter {
    param([string] $File, [string[]] $Lines)

    $result = @{ Metadata = $null; BodyStart = 0 }
    if ($Lines.Count -eq 0 -or $Lines[0].Trim() -ne '---') { return $result }

    $metadata = [ordered]@{}
    for ($i = 1; $i -lt $Lines.Count; $i++) {
        if ($Lines[$i].Trim() -eq '---') {
            $result.Metadata = $metadata
            $result.BodyStart = $i + 1
            return $result
        }
        if ($Lines[$i] -match '^\s*([^:#][^:]*):\s*(.*?)\s*$') {
            $metadata[$Matches[1].Trim()] = $Matches[2]
        }
    }
    throw (New-SchemaError $File 1 "front matter starting with '---' is never closed")
}

# Turns markdown lines into a flat list of blocks: Heading, Code and Para.
# Only the constructs platyPS writes are recognised; this is not a general
# CommonMark parser.
function Read-MarkdownBlock {
    param([string] $File, [string[]] $Lines, [int] $StartIndex)

    $blocks = [System.Collections.Generic.List[object]]::new()
    $para = $null
    $i = $StartIndex

    while ($i -lt $Lines.Count) {
        $line = $Lines[$i]
        $lineNumber = $i + 1

        if ($line -match '^\s{0,3}(```+|~~~+)\s*([\w+#.-]*)\s*$') {
            $para = $null
            $fence = $Matches[1]
            $lang = $Matches[2]
            $code = [System.Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $Lines.Count -and $Lines[$i] -notmatch ('^\s{0,3}' + [regex]::Escape($fence) + '\s*$')) {
                $code.Add($Lines[$i])
                $i++
            }
            if ($i -ge $Lines.Count) {
                throw (New-SchemaError $File $lineNumber "code fence '$fence' is never closed")
            }
            $blocks.Add([pscustomobject]@{
                    Kind = 'Code'; Line = $lineNumber; Lang = $lang; Text = ($code -join "`n")
                })
        }
        elseif ($line -match '^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$') {
            $para = $null
            $blocks.Add([pscustomobject]@{
                    Kind = 'Heading'; Line = $lineNumber; Level = $Matches[1].Length; Text = $Matches[2]
                })
        }
        elseif ($line.Trim() -eq '') {
            $para = $null
        }
        else {
            if ($null -eq $para) {
                $para = [pscustomobject]@{
                    Kind = 'Para'; Line = $lineNumber; Lines = [System.Collections.Generic.List[string]]::new()
                }
                $blocks.Add($para)
            }
            $para.Lines.Add($line)
        }
        $i++
    }
    , $blocks
}

#endregion

#region Markdown text helpers

# Inline markdown → the plain text Get-Help shows. Links keep their target in
# parentheses (as platyPS does); backslash escapes are removed.
function ConvertFrom-InlineMarkdown {
    param([string] $Text)

    $Text = [regex]::Replace($Text, '\[([^\]]*)\]\(([^)\s]*)\)', {
            param($m)
            if ($m.Groups[2].Value) { '{0} ({1})' -f $m.Groups[1].Value, $m.Groups[2].Value }
            else { $m.Groups[1].Value }
        })
    $Text = $Text -replace '\\([\\`*_{}\[\]()#+\-.!<>|~])', '$1'
    $Text.Trim()
}

# A markdown paragraph becomes one MAML para: soft-wrapped lines are joined,
# but list items and hard breaks (trailing two spaces or '\') start a new para
# so lists do not collapse into one sentence.
function ConvertTo-ParaText {
    param([object] $Block)

    $paras = [System.Collections.Generic.List[string]]::new()
    $current = ''
    foreach ($line in $Block.Lines) {
        $startsItem = $line -match '^\s*([-*+]|\d+[.)])\s+'
        if ($current -and $startsItem) { $paras.Add($current); $current = '' }

        $hardBreak = $line -match '(\s{2,}|\\)$'
        $text = ConvertFrom-InlineMarkdown ($line -replace '\\$', '')
        $current = if ($current) { "$current $text" } else { $text }

        if ($hardBreak) { $paras.Add($current); $current = '' }
    }
    if ($current) { $paras.Add($current) }
    $paras
}

# Body text of SYNOPSIS / DESCRIPTION / NOTES / type and parameter
# descriptions: paragraphs, plus code blocks kept verbatim as their own para.
function ConvertTo-ParaList {
    param([string] $File, [object[]] $Blocks, [string] $Where)

    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Para' { ConvertTo-ParaText $block }
            'Code' { $block.Text }
            default {
                throw (New-SchemaError $File $block.Line "unexpected heading '$($block.Text)' in $Where")
            }
        }
    }
}

# Splits a section's blocks at headings of the given level. Content before the
# first such heading is returned as the 'Preamble' entry (Heading = $null).
function Split-AtHeading {
    param([object[]] $Blocks, [int] $Level)

    $groups = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Heading = $null; Blocks = [System.Collections.Generic.List[object]]::new() }
    $groups.Add($current)
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Heading' -and $block.Level -eq $Level) {
            $current = [pscustomobject]@{ Heading = $block; Blocks = [System.Collections.Generic.List[object]]::new() }
            $groups.Add($current)
        }
        else {
            $current.Blocks.Add($block)
        }
    }
    , $groups
}

function Assert-NoPreamble {
    param([string] $File, [object] $Group, [string] $Section, [string] $Expected)

    if ($Group.Heading -or $Group.Blocks.Count -eq 0) { return }
    $first = $Group.Blocks[0]
    throw (New-SchemaError $File $first.Line "unexpected content in '## $Section'; expected $Expected")
}

function Assert-OnlyLevel3 {
    param([string] $File, [object[]] $Blocks, [string] $Section)

    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Heading' -and $block.Level -ne 3) {
            throw (New-SchemaError $File $block.Line "heading level $($block.Level) ('$($block.Text)') is not allowed in '## $Section'; use '###'")
        }
    }
}

#endregion

#region Section parsers

# ## SYNTAX: '### SetName [(Default)]' + one code block each, or one code block
# without heading for a command with a single parameter set. The syntax text
# itself is not used (like platyPS): syntax is rebuilt from ## PARAMETERS.
function Read-SyntaxSection {
    param([string] $File, [object] $Section)

    Assert-OnlyLevel3 $File $Section.Blocks 'SYNTAX'
    $groups = Split-AtHeading $Section.Blocks 3
    $sets = [System.Collections.Generic.List[object]]::new()

    $preamble = $groups[0]
    if ($preamble.Blocks.Count -gt 0) {
        if ($groups.Count -gt 1 -or $preamble.Blocks.Count -ne 1 -or $preamble.Blocks[0].Kind -ne 'Code') {
            Assert-NoPreamble $File $preamble 'SYNTAX' "'### ParameterSetName' headings each followed by a code block"
        }
        $sets.Add([pscustomobject]@{ Name = $script:AllParameterSets; Line = $preamble.Blocks[0].Line })
    }

    foreach ($group in ($groups | Select-Object -Skip 1)) {
        if ($group.Blocks.Count -ne 1 -or $group.Blocks[0].Kind -ne 'Code') {
            throw (New-SchemaError $File $group.Heading.Line "parameter set '### $($group.Heading.Text)' must be followed by exactly one code block")
        }
        $name = $group.Heading.Text -replace '\s*\(Default\)$', ''
        # New-MarkdownHelp names the implicit set __AllParameterSets.
        if ($name -eq '__AllParameterSets') { $name = $script:AllParameterSets }
        $sets.Add([pscustomobject]@{ Name = $name; Line = $group.Heading.Line })
    }

    if ($sets.Count -eq 0) {
        throw (New-SchemaError $File $Section.Line "'## SYNTAX' has no syntax code block")
    }
    , $sets
}

# Simple 'Key: value' lines only, the same restriction platyPS applies.
function Read-ParameterYaml {
    param([string] $File, [object] $Block)

    $pairs = @{}
    $lineNumber = $Block.Line
    foreach ($line in ($Block.Text -split "`n")) {
        $lineNumber++
        if ($line.Trim() -eq '') { continue }
        if ($line -notmatch '^([^:]+):\s*(.*?)\s*$') {
            throw (New-SchemaError $File $lineNumber "invalid parameter metadata line '$line'; expected 'Key: value'")
        }
        $key = $Matches[1].Trim()
        $known = $script:ParameterYamlKeys | Where-Object { $_ -eq $key }
        if (-not $known) {
            throw (New-SchemaError $File $lineNumber "unknown parameter metadata key '$key'")
        }
        if ($Matches[2] -ne '') { $pairs[$known] = [pscustomobject]@{ Value = $Matches[2]; Line = $lineNumber } }
    }
    $pairs
}

function Get-YamlBoolean {
    param([string] $File, [hashtable] $Pairs, [string] $Key)

    if (-not $Pairs.ContainsKey($Key)) { return $false }
    $entry = $Pairs[$Key]
    if ($entry.Value -notmatch '^(true|false)$') {
        throw (New-SchemaError $File $entry.Line "'${Key}: $($entry.Value)' must be True or False")
    }
    $entry.Value -eq 'true'
}

function Split-CommaList {
    param([string] $Value)
    @($Value -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ })
}

# One ```yaml block → one parameter variant. A parameter normally has one
# block; platyPS writes several when its metadata differs per parameter set.
function ConvertTo-ParameterVariant {
    param([string] $File, [string] $Name, [string[]] $Description, [object] $Block)

    $pairs = Read-ParameterYaml $File $Block
    if (-not $pairs.ContainsKey('Type')) {
        throw (New-SchemaError $File $Block.Line "parameter '-$Name' has no 'Type:' in its metadata")
    }

    $type = $pairs['Type'].Value
    $isSwitch = $type -in 'switch', 'SwitchParameter', 'System.Management.Automation.SwitchParameter'
    if ($isSwitch) { $type = 'SwitchParameter' }

    $position = 'named'
    if ($pairs.ContainsKey('Position')) {
        $position = $pairs['Position'].Value.ToLowerInvariant()
        if ($position -notmatch '^(named|\d+)$') {
            throw (New-SchemaError $File $pairs['Position'].Line "'Position: $($pairs['Position'].Value)' must be a number or Named")
        }
    }

    $pipelineInput = 'False'
    if ($pairs.ContainsKey('Accept pipeline input')) {
        $pipelineInput = $pairs['Accept pipeline input'].Value
        if ($pipelineInput -notmatch '^(True|False)(\s+\((ByValue|ByPropertyName)(,\s*(ByValue|ByPropertyName))?\))?$') {
            throw (New-SchemaError $File $pairs['Accept pipeline input'].Line "'Accept pipeline input: $pipelineInput' must look like 'False', 'True (ByValue)' or 'True (ByValue, ByPropertyName)'")
        }
    }

    $defaultValue = if ($pairs.ContainsKey('Default value')) { $pairs['Default value'].Value } else { 'None' }
    # platyPS shows the implicit default of a switch as False.
    if ($isSwitch -and $defaultValue -eq 'None') { $defaultValue = 'False' }

    $sets = @($script:AllParameterSets)
    if ($pairs.ContainsKey('Parameter Sets')) { $sets = @(Split-CommaList $pairs['Parameter Sets'].Value) }

    [pscustomobject]@{
        Name           = $Name
        Description    = $Description
        Type           = $type
        IsSwitch       = $isSwitch
        Required       = Get-YamlBoolean $File $pairs 'Required'
        Globbing       = Get-YamlBoolean $File $pairs 'Accept wildcard characters'
        PipelineInput  = $pipelineInput
        Position       = $position
        Aliases        = @(if ($pairs.ContainsKey('Aliases')) { Split-CommaList $pairs['Aliases'].Value })
        AcceptedValues = @(if ($pairs.ContainsKey('Accepted values')) { Split-CommaList $pairs['Accepted values'].Value })
        DefaultValue   = $defaultValue
        ParameterSets  = $sets
        Line           = $Block.Line
    }
}

function Test-YamlBlock {
    param([object] $Block)
    $Block.Kind -eq 'Code' -and $Block.Lang -eq 'yaml'
}

# ## PARAMETERS: '### -Name', description, then one or more ```yaml blocks.
# '### CommonParameters' / '### WorkflowParameters' carry no metadata.
function Read-ParametersSection {
    param([string] $File, [object] $Section)

    Assert-OnlyLevel3 $File $Section.Blocks 'PARAMETERS'
    $groups = Split-AtHeading $Section.Blocks 3
    Assert-NoPreamble $File $groups[0] 'PARAMETERS' "'### -ParameterName' headings"

    $parameters = [System.Collections.Generic.List[object]]::new()
    foreach ($group in ($groups | Select-Object -Skip 1)) {
        $heading = $group.Heading
        if ($heading.Text -in 'CommonParameters', 'WorkflowParameters') { continue }
        if ($heading.Text -notmatch '^-(\w+)$') {
            throw (New-SchemaError $File $heading.Line "parameter heading '### $($heading.Text)' must be '### -Name'")
        }
        $name = $Matches[1]

        # Description first, then nothing but ```yaml blocks.
        $blocks = @($group.Blocks)
        $firstYaml = 0
        while ($firstYaml -lt $blocks.Count -and -not (Test-YamlBlock $blocks[$firstYaml])) { $firstYaml++ }
        if ($firstYaml -eq $blocks.Count) {
            throw (New-SchemaError $File $heading.Line "parameter '-$name' has no ``````yaml metadata block")
        }
        $yamlBlocks = @($blocks | Select-Object -Skip $firstYaml)
        $stray = $yamlBlocks | Where-Object { -not (Test-YamlBlock $_) } | Select-Object -First 1
        if ($stray) {
            throw (New-SchemaError $File $stray.Line "unexpected content after the metadata of parameter '-$name'; put the description before the ``````yaml block")
        }

        $descriptionBlocks = @($blocks | Select-Object -First $firstYaml)
        $description = @(ConvertTo-ParaList $File $descriptionBlocks "parameter '-$name'")
        $variants = @($yamlBlocks | ForEach-Object { ConvertTo-ParameterVariant $File $name $description $_ })
        $parameters.Add([pscustomobject]@{ Name = $name; Variants = $variants; Line = $heading.Line })
    }
    , $parameters
}

# ## EXAMPLES: '### Title', optional intro text, code block(s), remarks.
function Read-ExamplesSection {
    param([string] $File, [object] $Section)

    Assert-OnlyLevel3 $File $Section.Blocks 'EXAMPLES'
    $groups = Split-AtHeading $Section.Blocks 3
    Assert-NoPreamble $File $groups[0] 'EXAMPLES' "'### Example N: Title' headings"

    foreach ($group in ($groups | Select-Object -Skip 1)) {
        $blocks = @($group.Blocks)
        $firstCode = -1
        for ($i = 0; $i -lt $blocks.Count; $i++) { if ($blocks[$i].Kind -eq 'Code') { $firstCode = $i; break } }
        if ($firstCode -lt 0) {
            throw (New-SchemaError $File $group.Heading.Line "example '$($group.Heading.Text)' has no code block")
        }
        $lastCode = $firstCode
        while ($lastCode + 1 -lt $blocks.Count -and $blocks[$lastCode + 1].Kind -eq 'Code') { $lastCode++ }

        $code = @($blocks[$firstCode..$lastCode] | ForEach-Object { Remove-PromptPrefix $_ }) -join "`n`n"
        # MAML has no separate slot that Get-Help shows for introduction text,
        # so text before the code is kept as the first remarks.
        $remarkBlocks = @($blocks | Select-Object -First $firstCode) + @($blocks | Select-Object -Skip ($lastCode + 1))

        [pscustomobject]@{
            Title   = $group.Heading.Text
            Code    = $code
            Remarks = @(ConvertTo-ParaList $File $remarkBlocks "example '$($group.Heading.Text)'")
        }
    }
}

# 'PS>' / 'PS C:\>' prompts are presentation only; Get-Help adds its own.
function Remove-PromptPrefix {
    param([object] $CodeBlock)

    if ($CodeBlock.Lang -notin '', 'powershell', 'posh', 'ps', 'ps1', 'pwsh') { return $CodeBlock.Text }
    ($CodeBlock.Text -split "`n" | ForEach-Object { $_ -replace '^PS(\s+[^>\r\n]*)?>\s?', '' }) -join "`n"
}

# ## INPUTS / ## OUTPUTS: '### TypeName' + description. May be empty.
function Read-TypeSection {
    param([string] $File, [object] $Section)

    Assert-OnlyLevel3 $File $Section.Blocks $Section.Name
    $groups = Split-AtHeading $Section.Blocks 3
    Assert-NoPreamble $File $groups[0] $Section.Name "'### TypeName' headings"

    foreach ($group in ($groups | Select-Object -Skip 1)) {
        [pscustomobject]@{
            TypeName    = $group.Heading.Text
            Description = @(ConvertTo-ParaList $File $group.Blocks "type '$($group.Heading.Text)'")
        }
    }
}

# ## RELATED LINKS: one '[text](uri)' per line. May be empty.
function Read-LinksSection {
    param([string] $File, [object] $Section)

    foreach ($block in $Section.Blocks) {
        if ($block.Kind -ne 'Para') {
            throw (New-SchemaError $File $block.Line "'## RELATED LINKS' may only contain '[text](uri)' lines")
        }
        $lineNumber = $block.Line
        foreach ($line in $block.Lines) {
            $found = [regex]::Matches($line, '\[([^\]]*)\]\(([^)\s]*)\)')
            $rest = ([regex]::Replace($line, '\[([^\]]*)\]\(([^)\s]*)\)', '')).Trim()
            if ($found.Count -eq 0 -or $rest) {
                throw (New-SchemaError $File $lineNumber "related link '$($line.Trim())' is not a markdown link '[text](uri)'")
            }
            foreach ($m in $found) {
                $text = $m.Groups[1].Value
                $uri = Get-AbsoluteUri $m.Groups[2].Value
                if ($uri -and $text -ne 'Online Version:') { $text = "${text}: $uri"; $uri = '' }
                [pscustomobject]@{ Text = $text; Uri = $uri }
            }
            $lineNumber++
        }
    }
}

# Get-Help -Online only understands absolute URIs, and a relative link to
# another .md file means nothing once installed, so those keep only the text
# (platyPS does the same).
function Get-AbsoluteUri {
    param([string] $Value)

    $uri = $null
    # The scheme check stops '/x.md' becoming file:///x.md on Unix.
    if ($Value -match '^[a-zA-Z][a-zA-Z0-9+.-]*:' -and [uri]::TryCreate($Value, [UriKind]::Absolute, [ref] $uri)) {
        return $Value
    }
    ''
}

#endregion

#region Command assembly

# Groups the document's blocks by '## Section' and enforces the section list.
function Get-CommandSection {
    param([string] $File, [object[]] $Blocks)

    $title = $Blocks | Select-Object -First 1
    if ($null -eq $title -or $title.Kind -ne 'Heading' -or $title.Level -ne 1) {
        $line = if ($title) { $title.Line } else { 1 }
        throw (New-SchemaError $File $line "expected the command name as '# Verb-Noun' after the front matter")
    }

    $sections = [ordered]@{}
    $current = $null
    foreach ($block in ($Blocks | Select-Object -Skip 1)) {
        if ($block.Kind -eq 'Heading' -and $block.Level -le 2) {
            $name = $block.Text.ToUpperInvariant()
            if ($block.Level -eq 1) {
                throw (New-SchemaError $File $block.Line "second '# $($block.Text)' heading; one command per file")
            }
            if ($name -notin $script:RequiredSections) {
                throw (New-SchemaError $File $block.Line "unknown section '## $($block.Text)'")
            }
            if ($sections.Contains($name)) {
                throw (New-SchemaError $File $block.Line "duplicate section '## $($block.Text)'")
            }
            $current = [pscustomobject]@{ Name = $name; Line = $block.Line; Blocks = [System.Collections.Generic.List[object]]::new() }
            $sections[$name] = $current
        }
        elseif ($null -eq $current) {
            throw (New-SchemaError $File $block.Line "unexpected content before '## SYNOPSIS'")
        }
        else {
            $current.Blocks.Add($block)
        }
    }

    for ($i = 0; $i -lt $script:RequiredSections.Count; $i++) {
        $required = $script:RequiredSections[$i]
        if ($sections.Contains($required)) { continue }
        # Point at where it should have been: the next section that is present.
        $next = $script:RequiredSections | Select-Object -Skip ($i + 1) | Where-Object { $sections.Contains($_) } | Select-Object -First 1
        if ($next) {
            throw (New-SchemaError $File $sections[$next].Line "missing required section '## $required' (expected before '## $next')")
        }
        $last = $Blocks[$Blocks.Count - 1].Line
        throw (New-SchemaError $File $last "missing required section '## $required' (expected at the end of the file)")
    }

    [pscustomobject]@{ Name = $title.Text.Trim(); Line = $title.Line; Sections = $sections }
}

# For each parameter set from ## SYNTAX, the parameter variants that belong to
# it, positional ones first in position order (as Get-Help lists them).
function Get-SyntaxItem {
    param([string] $File, [object[]] $Sets, [object[]] $Parameters)

    $known = @($Sets | ForEach-Object Name)
    # A single headerless syntax block means one set that every parameter is in.
    $singleSet = $known.Count -eq 1 -and $known[0] -eq $script:AllParameterSets
    foreach ($parameter in $Parameters) {
        if ($singleSet) { break }
        foreach ($variant in $parameter.Variants) {
            foreach ($set in $variant.ParameterSets) {
                if ($set -ne $script:AllParameterSets -and $set -notin $known) {
                    throw (New-SchemaError $File $variant.Line "parameter '-$($parameter.Name)' names parameter set '$set', which is not listed under '## SYNTAX'")
                }
            }
        }
    }

    foreach ($set in $Sets) {
        $index = 0
        $members = foreach ($parameter in $Parameters) {
            $match = $parameter.Variants | Where-Object { $set.Name -in $_.ParameterSets } | Select-Object -First 1
            if (-not $match) {
                $match = $parameter.Variants | Where-Object { $script:AllParameterSets -in $_.ParameterSets } | Select-Object -First 1
            }
            if (-not $match -and $singleSet) { $match = $parameter.Variants[0] }
            if ($match) { [pscustomobject]@{ Parameter = $match; Index = $index++ } }
        }
        # Document order is the tie-breaker because Sort-Object is not stable
        # in Windows PowerShell.
        $ordered = @($members | Sort-Object -Property @(
                @{ Expression = { if ($_.Parameter.Position -eq 'named') { [int]::MaxValue } else { [int] $_.Parameter.Position } } },
                'Index') | ForEach-Object Parameter)
        [pscustomobject]@{ Name = $set.Name; Parameters = $ordered }
    }
}

function ConvertFrom-CommandMarkdown {
    param([string] $File, [string[]] $Lines, [int] $BodyStart)

    $blocks = Read-MarkdownBlock $File $Lines $BodyStart
    $doc = Get-CommandSection $File $blocks
    $s = $doc.Sections

    $synopsis = @(ConvertTo-ParaList $File $s['SYNOPSIS'].Blocks "'## SYNOPSIS'")
    if ($synopsis.Count -eq 0) {
        throw (New-SchemaError $File $s['SYNOPSIS'].Line "'## SYNOPSIS' is empty")
    }
    $sets = Read-SyntaxSection $File $s['SYNTAX']
    $parameters = Read-ParametersSection $File $s['PARAMETERS']

    [pscustomobject]@{
        Name        = $doc.Name
        Synopsis    = $synopsis
        Description = @(ConvertTo-ParaList $File $s['DESCRIPTION'].Blocks "'## DESCRIPTION'")
        Syntax      = @(Get-SyntaxItem $File $sets $parameters)
        Parameters  = @($parameters | ForEach-Object { $_.Variants[0] })
        Examples    = @(Read-ExamplesSection $File $s['EXAMPLES'])
        Inputs      = @(Read-TypeSection $File $s['INPUTS'])
        Outputs     = @(Read-TypeSection $File $s['OUTPUTS'])
        Notes       = @(ConvertTo-ParaList $File $s['NOTES'].Blocks "'## NOTES'")
        Links       = @(Read-LinksSection $File $s['RELATED LINKS'])
    }
}

#endregion

#region MAML writer

function Write-Paras {
    param([System.Xml.XmlWriter] $Writer, [string] $Element, [string] $Namespace, [string[]] $Paras)

    $Writer.WriteStartElement($Element, $Namespace)
    foreach ($para in $Paras) { $Writer.WriteElementString('para', $script:NsMaml, $para) }
    $Writer.WriteEndElement()
}

function Write-TypeName {
    param([System.Xml.XmlWriter] $Writer, [string] $TypeName, [switch] $WithUri)

    $Writer.WriteStartElement('type', $script:NsDev)
    $Writer.WriteElementString('name', $script:NsMaml, $TypeName)
    if ($WithUri) { $Writer.WriteElementString('uri', $script:NsMaml, '') }
    $Writer.WriteEndElement()
}

function ConvertTo-XmlBoolean { param([bool] $Value) if ($Value) { 'true' } else { 'false' } }

# Same element for ## PARAMETERS and each syntax item; inside syntax the
# [switch] value is omitted (platyPS quirk that keeps "[-Recurse]" clean) and
# accepted values become a parameterValueGroup.
function Write-Parameter {
    param([System.Xml.XmlWriter] $Writer, [object] $Parameter, [switch] $InSyntax)

    $w = $Writer
    $w.WriteStartElement('parameter', $script:NsCommand)
    $w.WriteAttributeString('required', (ConvertTo-XmlBoolean $Parameter.Required))
    $w.WriteAttributeString('variableLength', 'true')
    $w.WriteAttributeString('globbing', (ConvertTo-XmlBoolean $Parameter.Globbing))
    $w.WriteAttributeString('pipelineInput', $Parameter.PipelineInput)
    $w.WriteAttributeString('position', $Parameter.Position)
    $aliases = if ($Parameter.Aliases.Count -gt 0) { $Parameter.Aliases -join ', ' } else { 'none' }
    $w.WriteAttributeString('aliases', $aliases)

    $w.WriteElementString('name', $script:NsMaml, $Parameter.Name)
    Write-Paras $w 'description' $script:NsMaml $Parameter.Description

    if ($InSyntax -and $Parameter.AcceptedValues.Count -gt 0) {
        $w.WriteStartElement('parameterValueGroup', $script:NsCommand)
        foreach ($value in $Parameter.AcceptedValues) {
            $w.WriteStartElement('parameterValue', $script:NsCommand)
            $w.WriteAttributeString('required', 'false')
            $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($value)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    if (-not ($InSyntax -and $Parameter.IsSwitch)) {
        $w.WriteStartElement('parameterValue', $script:NsCommand)
        $w.WriteAttributeString('required', (ConvertTo-XmlBoolean (-not $Parameter.IsSwitch)))
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($Parameter.Type)
        $w.WriteEndElement()
    }

    Write-TypeName $w $Parameter.Type -WithUri
    $w.WriteElementString('defaultValue', $script:NsDev, $Parameter.DefaultValue)
    $w.WriteEndElement()
}

# platyPS centres example titles in dashes up to 64 characters.
function Format-ExampleTitle {
    param([string] $Title)

    if ([string]::IsNullOrWhiteSpace($Title) -or $Title.Length -ge 62) { return $Title }
    $pad = '-' * [math]::Floor((64 - $Title.Length - 2) / 2)
    "$pad $Title $pad"
}

function Write-Command {
    param([System.Xml.XmlWriter] $Writer, [object] $Command)

    $w = $Writer
    $w.WriteStartElement('command', 'command', $script:NsCommand)
    # Declare all prefixes once here instead of on each child element.
    $w.WriteAttributeString('xmlns', 'maml', $null, $script:NsMaml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $script:NsDev)
    $w.WriteAttributeString('xmlns', 'MSHelp', $null, $script:NsMsHelp)

    $verb = ($Command.Name -split '-', 2)[0]
    $noun = if ($Command.Name -match '-') { ($Command.Name -split '-', 2)[1] } else { '' }
    $w.WriteStartElement('details', $script:NsCommand)
    $w.WriteElementString('name', $script:NsCommand, $Command.Name)
    $w.WriteElementString('verb', $script:NsCommand, $verb)
    $w.WriteElementString('noun', $script:NsCommand, $noun)
    Write-Paras $w 'description' $script:NsMaml $Command.Synopsis
    $w.WriteEndElement()

    Write-Paras $w 'description' $script:NsMaml $Command.Description

    $w.WriteStartElement('syntax', $script:NsCommand)
    foreach ($item in $Command.Syntax) {
        $w.WriteStartElement('syntaxItem', $script:NsCommand)
        $w.WriteElementString('name', $script:NsMaml, $Command.Name)
        foreach ($parameter in $item.Parameters) { Write-Parameter $w $parameter -InSyntax }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('parameters', $script:NsCommand)
    foreach ($parameter in $Command.Parameters) { Write-Parameter $w $parameter }
    $w.WriteEndElement()

    foreach ($kind in @(
            @{ List = 'inputTypes'; Item = 'inputType'; Types = $Command.Inputs },
            @{ List = 'returnValues'; Item = 'returnValue'; Types = $Command.Outputs })) {
        $w.WriteStartElement($kind.List, $script:NsCommand)
        foreach ($type in $kind.Types) {
            $w.WriteStartElement($kind.Item, $script:NsCommand)
            Write-TypeName $w $type.TypeName
            Write-Paras $w 'description' $script:NsMaml $type.Description
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    $w.WriteStartElement('alertSet', $script:NsMaml)
    Write-Paras $w 'alert' $script:NsMaml $Command.Notes
    $w.WriteEndElement()

    $w.WriteStartElement('examples', $script:NsCommand)
    foreach ($example in $Command.Examples) {
        $w.WriteStartElement('example', $script:NsCommand)
        $w.WriteElementString('title', $script:NsMaml, (Format-ExampleTitle $example.Title))
        $w.WriteElementString('code', $script:NsDev, $example.Code)
        Write-Paras $w 'remarks' $script:NsDev $example.Remarks
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('relatedLinks', $script:NsCommand)
    foreach ($link in $Command.Links) {
        $w.WriteStartElement('navigationLink', $script:NsMaml)
        $w.WriteElementString('linkText', $script:NsMaml, $link.Text)
        $w.WriteElementString('uri', $script:NsMaml, $link.Uri)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()
}

function Write-MamlFile {
    param([object[]] $Commands, [string] $File)

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.Indent = $true
    $settings.IndentChars = '  '
    # Fixed newlines so the file is byte-identical whichever OS builds it.
    $settings.NewLineChars = "`n"
    $settings.NewLineHandling = [System.Xml.NewLineHandling]::Replace

    $stream = [System.IO.StreamWriter]::new($File, $false, $settings.Encoding)
    $writer = [System.Xml.XmlWriter]::Create($stream, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $Commands) { Write-Command $writer $command }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
        $writer.Flush()
        $stream.Write("`n")
    }
    finally {
        $writer.Dispose()
        $stream.Dispose()
    }
}

#endregion

#region About topics

# about_*.md → the plain-text layout of PowerShell's own about_ topics:
#
#   TOPIC
#       about_Name
#
#   SHORT DESCRIPTION
#       One line.
#
#   LONG DESCRIPTION
#       Text indented four spaces, wrapped at 80 columns.
#
#           Code, eight spaces in, verbatim.
#
# Get-Help reads the fifth line of the file as the topic's synopsis, so the
# short description is one unwrapped line there. The title ('# about_Name', and
# platyPS's '## about_Name' under '# Name') becomes TOPIC; every other heading
# of the top level a section name in capitals; deeper headings are indented.
# Code is a ``` fence or markdown's four-space indent. Under SEE ALSO each line
# is one entry.
function ConvertTo-AboutText {
    param([string] $File, [string[]] $Lines, [int] $BodyStart, [string] $Name)

    $indent = '    '
    $out = [System.Collections.Generic.List[string]]::new()
    $blocks = Read-MarkdownBlock $File $Lines $BodyStart

    # The title: the first heading, and a second one that names the topic (platyPS's layout).
    $first = 0
    if ($blocks.Count -gt 0 -and $blocks[0].Kind -eq 'Heading') { $first = 1 }
    if ($blocks.Count -gt 1 -and $blocks[1].Kind -eq 'Heading' -and $blocks[1].Text -eq $Name) { $first = 2 }
    $sections = @($blocks[$first..($blocks.Count - 1)] | Where-Object Kind -eq 'Heading')
    if ($first -eq 0 -or $sections.Count -eq 0 -or $sections[0].Text -ne 'SHORT DESCRIPTION') {
        throw (New-SchemaError $File ($BodyStart + 1) "an about topic starts with its title heading, then a 'SHORT DESCRIPTION' heading")
    }
    $top = $sections[0].Level

    $out.Add('TOPIC')
    $out.Add($indent + $Name)
    $out.Add('')
    $section = ''
    for ($i = $first; $i -lt $blocks.Count; $i++) {
        $block = $blocks[$i]
        $kind = $block.Kind
        if ($kind -eq 'Para' -and $block.Lines[0] -match '^( {4}|\t)') { $kind = 'IndentedCode' }
        switch ($kind) {
            'Heading' {
                if ($block.Level -le $top) { $section = $block.Text.ToUpperInvariant(); $out.Add($section) }
                else { $out.Add($indent + $block.Text.ToUpperInvariant()) }
            }
            'Para' {
                if ($section -eq 'SHORT DESCRIPTION') {
                    # One line: Get-Help takes line 5 as the synopsis.
                    $out.Add($indent + ((ConvertTo-ParaText $block) -join ' '))
                }
                elseif ($section -eq 'SEE ALSO') {
                    foreach ($line in $block.Lines) { $out.Add($indent + (ConvertFrom-InlineMarkdown $line)) }
                }
                else {
                    foreach ($para in (ConvertTo-ParaText $block)) {
                        # List items keep their marker out front; their continuation lines hang under the text.
                        $hang = if ($para -match '^([-*+]|\d+[.)])\s+') { ' ' * ($Matches[0].Length) } else { '' }
                        $wrapped = @(Format-WrappedLine $para (80 - $indent.Length))
                        for ($j = 0; $j -lt $wrapped.Count; $j++) {
                            $out.Add($indent + $(if ($j -gt 0) { $hang }) + $wrapped[$j])
                        }
                    }
                }
                $out.Add('')
            }
            'Code' {
                foreach ($line in ($block.Text -split "`n")) { $out.Add(($indent + $indent + $line).TrimEnd()) }
                $out.Add('')
            }
            'IndentedCode' {
                foreach ($line in $block.Lines) { $out.Add(($indent + ($line -replace '^( {4}|\t)', $indent)).TrimEnd()) }
                $out.Add('')
            }
        }
    }
    ($out -join [Environment]::NewLine).TrimEnd() + [Environment]::NewLine
}

function Format-WrappedLine {
    param([string] $Text, [int] $Width)

    $line = ''
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($line -and ($line.Length + 1 + $word.Length) -gt $Width) { $line; $line = $word }
        elseif ($line) { $line = "$line $word" }
        else { $line = $word }
    }
    if ($line) { $line }
}

#endregion

#region Main

function Get-MarkdownFile {
    param([string[]] $Path)

    foreach ($item in $Path) {
        $resolved = Resolve-Path -Path $item -ErrorAction Stop
        foreach ($r in $resolved) {
            if (Test-Path -LiteralPath $r.ProviderPath -PathType Container) {
                Get-ChildItem -LiteralPath $r.ProviderPath -Filter '*.md' -File | Sort-Object Name
            }
            else {
                Get-Item -LiteralPath $r.ProviderPath
            }
        }
    }
}

function Invoke-Conversion {
    param([string[]] $Path, [string] $OutputPath)

    $outputFile = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
    $outputDir = [System.IO.Path]::GetDirectoryName($outputFile)
    $commands = [System.Collections.Generic.List[object]]::new()
    $abouts = [System.Collections.Generic.List[object]]::new()

    foreach ($file in (Get-MarkdownFile $Path)) {
        $lines = [System.IO.File]::ReadAllLines($file.FullName)
        $front = Read-FrontMatter $file.FullName $lines

        if ($file.Name -like 'about_*.md') {
            $name = [System.IO.Path]::GetFileNameWithoutExtension($file.Name)
            $abouts.Add([pscustomobject]@{ Name = $name; Text = ConvertTo-AboutText $file.FullName $lines $front.BodyStart $name })
            continue
        }
        if ($null -eq $front.Metadata -or -not $front.Metadata.Contains('external help file')) {
            Write-Verbose "Skipping $($file.Name): no 'external help file:' in its front matter."
            continue
        }
        if ($front.Metadata['external help file'] -ne [System.IO.Path]::GetFileName($outputFile)) {
            Write-Warning "$($file.Name) declares 'external help file: $($front.Metadata['external help file'])' but is written to $([System.IO.Path]::GetFileName($outputFile))."
        }
        Write-Verbose "Converting $($file.Name)"
        $commands.Add((ConvertFrom-CommandMarkdown $file.FullName $lines $front.BodyStart))
    }

    # Parse everything first so a schema error leaves no partial output.
    $duplicate = $commands | Group-Object Name | Where-Object Count -gt 1 | Select-Object -First 1
    if ($duplicate) { throw "Command '$($duplicate.Name)' is documented in more than one markdown file." }
    if ($commands.Count -eq 0) { Write-Warning "No command help markdown found in '$($Path -join "', '")'." }

    [void][System.IO.Directory]::CreateDirectory($outputDir)
    if ($commands.Count -gt 0) {
        Write-MamlFile @($commands | Sort-Object Name) $outputFile
        Write-Verbose "Wrote $outputFile ($($commands.Count) commands)"
        Get-Item -LiteralPath $outputFile
    }
    foreach ($about in $abouts) {
        $target = Join-Path $outputDir "$($about.Name).help.txt"
        [System.IO.File]::WriteAllText($target, $about.Text, [System.Text.UTF8Encoding]::new($false))
        Write-Verbose "Wrote $target"
        Get-Item -LiteralPath $target
    }
}

$written = Invoke-Conversion $Path $OutputPath
if ($PassThru) { $written }

#endregion
