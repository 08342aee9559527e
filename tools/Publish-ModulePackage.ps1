<#
.SYNOPSIS
    Publishes a built module folder with Publish-PSResource into a local folder repository (a .nupkg there).
.DESCRIPTION
    Publish-PSResource publishes only to a registered repository, so this registers the folder under a
    one-off name for the publish and unregisters it afterwards. Call it in a child pwsh whose data folder
    is a temporary one (XDG_DATA_HOME, as build.ps1 and the tests do) and the user's repository list is
    never read or written.
.EXAMPLE
    ./tools/Publish-ModulePackage.ps1 -ModulePath out/KubeAudit -RepositoryPath out/packages
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RepositoryPath
)
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop

$repository = $null
try {
    $null = New-Item -ItemType Directory -Force $RepositoryPath
    $repository = "KubeAuditBuild-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    Register-PSResourceRepository -Name $repository -Uri (Resolve-Path $RepositoryPath).ProviderPath -Trusted
    Publish-PSResource -Path $ModulePath -Repository $repository
}
finally {
    if ($repository) { Unregister-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue }
}
