# KubeAudit's Should operators for Pester 5 and 6, registered by KubeAudit when Pester is loaded.
#
#   Resolve-KubeAuditLevel -Policy ./audit-policy.yaml -Verb get -Resource secrets | Should -HaveAuditLevel Metadata
#   Get-KubeApiServerAuditConfig ./kube-apiserver.yaml | Should -HaveAuditFlag audit-log-maxage -AtLeast 30
#   Get-KubeAuditComplianceCheck -ManifestPath ./kube-apiserver.yaml | Where-Object Name -eq AuditLogPath | Should -PassComplianceCheck
#
# Each test returns what Pester expects of an operator: Succeeded, and a FailureMessage that says
# what was asked, what was found and where (the rule and its line, the flag and its line).

Pester\Add-ShouldOperator -Name HaveAuditLevel -Test {
    # ActualValue: a KubeAudit.AuditLevelDecision, from Resolve-KubeAuditLevel.
    param($ActualValue, $ExpectedValue, [switch] $Negate, [string] $Because)

    $why = if ($Because) { " because $Because," } else { '' }
    if ($null -eq $ActualValue -or $null -eq $ActualValue.PSObject.Properties['Level'] -or $null -eq $ActualValue.PSObject.Properties['Request']) {
        $got = if ($null -eq $ActualValue) { '$null' } else { $ActualValue.GetType().FullName }
        return [pscustomobject]@{ Succeeded = $false; FailureMessage = "Expected an audit level decision from Resolve-KubeAuditLevel,$why but got $got." }
    }

    if ("$ExpectedValue" -notin 'None', 'Metadata', 'Request', 'RequestResponse') {
        return [pscustomobject]@{ Succeeded = $false; FailureMessage = "-HaveAuditLevel takes None, Metadata, Request or RequestResponse, not '$ExpectedValue'." }
    }

    $r = $ActualValue.Request
    $what = if ($r.IsResourceRequest) {
        $resource = if ($r.ApiGroup) { "$($r.Resource).$($r.ApiGroup)" } else { $r.Resource }
        if ($r.Subresource) { $resource += "/$($r.Subresource)" }
        if ($r.Namespace) { "$($r.Verb) $resource in $($r.Namespace)" } else { "$($r.Verb) $resource" }
    }
    else { "$($r.Verb) $($r.Path)" }
    $rule = if ($null -ne $ActualValue.RuleIndex) { "rules[$($ActualValue.RuleIndex)] (line $($ActualValue.RuleLine))" } else { 'no rule matches, so the policy' }

    $same = $ActualValue.Level -eq "$ExpectedValue"
    [pscustomobject]@{
        Succeeded      = $same -xor [bool] $Negate
        FailureMessage = if ($Negate) {
            "Expected an audit level other than $ExpectedValue for $what,$why but $rule gives $($ActualValue.Level)."
        }
        else {
            "Expected audit level $ExpectedValue for $what,$why but $rule gives $($ActualValue.Level)."
        }
    }
}

Pester\Add-ShouldOperator -Name HaveAuditFlag -Test {
    # ActualValue: a KubeAudit.ApiServerAuditConfig, from Get-KubeApiServerAuditConfig.
    # ExpectedValue: the flag, with or without dashes. -AtLeast N: a number at least N. -Value V: exactly V.
    param($ActualValue, $ExpectedValue, $AtLeast, $Value, [switch] $Negate, [string] $Because)

    $why = if ($Because) { " because $Because," } else { '' }
    if ($null -eq $ActualValue -or $null -eq $ActualValue.PSObject.Properties['Flags']) {
        $got = if ($null -eq $ActualValue) { '$null' } else { $ActualValue.GetType().FullName }
        return [pscustomobject]@{ Succeeded = $false; FailureMessage = "Expected an API server audit configuration from Get-KubeApiServerAuditConfig,$why but got $got." }
    }

    $name = "$ExpectedValue" -replace '^-+', ''
    $where = if ($ActualValue.ManifestPath) { $ActualValue.ManifestPath } else { 'the manifest' }
    # kube-apiserver uses the last occurrence of a repeated flag.
    $flag = @($ActualValue.Flags | Where-Object Name -EQ $name) | Select-Object -Last 1
    $found = if ($flag) { "it is $flag (line $($flag.Line))" } else { 'it is not set' }

    $asked = "--$name to be set"
    $ok = $null -ne $flag
    if ($null -ne $AtLeast) {
        $asked = "--$name to be at least $AtLeast"
        $number = 0L
        $ok = $ok -and [long]::TryParse("$($flag.Value)", [ref] $number) -and $number -ge [long] $AtLeast
    }
    elseif ($null -ne $Value) {
        $asked = "--$name to be $Value"
        $ok = $ok -and "$($flag.Value)" -eq "$Value"
    }

    [pscustomobject]@{
        Succeeded      = $ok -xor [bool] $Negate
        FailureMessage = if ($Negate) { "Expected $($asked -replace ' to be ', ' not to be ') in $where,$why but $found." } else { "Expected $asked in $where,$why but $found." }
    }
}

Pester\Add-ShouldOperator -Name PassComplianceCheck -Test {
    # ActualValue: a KubeAudit.ComplianceCheck, from Get-KubeAuditComplianceCheck. A skipped check
    # (no input to judge, an exception declared) skips the test, with the check's reason.
    param($ActualValue, [switch] $Negate, [string] $Because)

    $why = if ($Because) { " because $Because," } else { '' }
    if ($null -eq $ActualValue -or $null -eq $ActualValue.PSObject.Properties['Result'] -or $null -eq $ActualValue.PSObject.Properties['Evidence']) {
        $got = if ($null -eq $ActualValue) { '$null (no such check)' } else { $ActualValue.GetType().FullName }
        return [pscustomobject]@{ Succeeded = $false; FailureMessage = "Expected a compliance check from Get-KubeAuditComplianceCheck,$why but got $got." }
    }

    if ($ActualValue.Result -eq 'Skipped' -and -not $Negate) {
        Set-ItResult -Skipped -Because $ActualValue.Evidence
    }

    [pscustomobject]@{
        Succeeded      = ($ActualValue.Result -eq 'Passed') -xor [bool] $Negate
        FailureMessage = if ($Negate) { "Expected $($ActualValue.Id) to fail,$why but it passed: $($ActualValue.Evidence)" } else { "$($ActualValue.Id) $($ActualValue.Title):$why $($ActualValue.Evidence)" }
    }
}
