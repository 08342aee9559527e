# Example PowerShell rules for Find-KubeAuditThreat -RulePath (see about_KubeAuditThreatRules).
# Each hashtable is a rule; Condition gets the event as $_ and returns $true, or a string for {detail}.
@{
    Name        = 'Custom.SecretReadFromOutside'
    Severity    = 'High'
    Description = 'read secret {target} from outside the cluster network ({detail})'
    Technique   = 'T1552.007'
    Resource    = 'secrets'
    Condition   = {
        $outside = $_.SourceIPs | Where-Object { $_ -notlike '10.*' -and $_ -notlike '192.168.*' } | Select-Object -First 1
        if ($_.Verb -eq 'get' -and $_.Code -eq 200 -and $outside) { "from $outside" }
    }
}
@{
    Name        = 'Custom.LongRequest'
    Severity    = 'Info'
    Description = '{verb} {resource} {target} took {detail}'
    Condition   = { if ($_.Stage -eq 'ResponseComplete' -and $_.Verb -notin 'watch', 'get' -and $_.Latency.TotalSeconds -gt 1) { '{0:N1} s' -f $_.Latency.TotalSeconds } }
}
