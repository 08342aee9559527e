BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/audit.log'
}

Describe 'ConvertFrom-KubeAuditEvent' {
    It 'converts JSON lines from Get-Content into the same events Get-KubeAuditEvent reads' {
        $fromText = @(Get-Content $sample -TotalCount 300 | ConvertFrom-KubeAuditEvent)
        $fromFile = @(Get-KubeAuditEvent $sample | Select-Object -First 300)
        $fromText.Count | Should -Be 300
        ($fromText | ForEach-Object { "$($_.AuditId)/$($_.Stage)/$($_.Line)" }) | Should -Be ($fromFile | ForEach-Object { "$($_.AuditId)/$($_.Stage)/$($_.Line)" })
        $fromText[0].File | Should -Be 'InputObject'
    }

    It 'puts a pretty-printed event back together from its lines' {
        $file = Join-Path $Corpus 'events/openshift-clo-raw_audit_kubernetes.json'
        $e = @(Get-Content $file | ConvertFrom-KubeAuditEvent)
        $e.Count | Should -Be 1
        Skip-UnlessTool jq
        $e[0].AuditId | Should -Be (jq -r .auditID $file)
    }

    It 'takes a whole document as one string (a webhook body)' {
        $file = Join-Path $Corpus 'events/k8s-website-docs/k8s-website-docs-2017b-v1beta1-EventList.json'
        $e = @(Get-Content -Raw $file | ConvertFrom-KubeAuditEvent)
        Skip-UnlessTool jq
        $e.Count | Should -Be (jq '.items | length' $file)
    }

    It 'emits each event as soon as its line arrives' {
        $lines = Get-Content $sample -TotalCount 3
        $seen = [System.Collections.Generic.List[string]]::new()
        $lines | ForEach-Object { $seen.Add("in:$($_.Length)"); $_ } | ConvertFrom-KubeAuditEvent | ForEach-Object { $seen.Add("out:$($_.Line)") }
        $seen[1] | Should -Be 'out:1'
    }

    It 'reports a bad line with its number and keeps going' {
        $text = @((Get-Content $sample -TotalCount 1), '{broken', (Get-Content $sample -TotalCount 2 | Select-Object -Last 1))
        $e = @($text | ConvertFrom-KubeAuditEvent -SourceName kubectl-logs -ErrorVariable errs -ErrorAction SilentlyContinue)
        $e.Count | Should -Be 2
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'KubeAudit.InvalidJson,*'
        $errs[0].TargetObject.File | Should -Be 'kubectl-logs'
        $errs[0].TargetObject.Line | Should -Be 2
    }
}
