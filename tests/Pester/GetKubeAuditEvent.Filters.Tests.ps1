# Each filter parameter keeps exactly what the equivalent Where-Object keeps, on the generated sample log.
BeforeDiscovery {
    $script:Cases = @(
        @{ Name = 'Verb create'; Params = @{ Verb = 'create' }; Where = { $_.Verb -ceq 'create' } }
        @{ Name = 'Verb CREATE (any case)'; Params = @{ Verb = 'CREATE' }; Where = { $_.Verb -ceq 'create' } }
        @{ Name = 'Verb get, list'; Params = @{ Verb = 'get', 'list' }; Where = { $_.Verb -in 'get', 'list' } }
        @{ Name = 'User wildcard'; Params = @{ User = 'system:serviceaccount:*' }; Where = { $_.Username -like 'system:serviceaccount:*' } }
        @{ Name = 'User literal'; Params = @{ User = 'kubernetes-admin' }; Where = { $_.Username -eq 'kubernetes-admin' } }
        @{ Name = 'Group'; Params = @{ Group = 'system:nodes' }; Where = { $_.User.Groups -contains 'system:nodes' } }
        @{ Name = 'Resource'; Params = @{ Resource = 'pods' }; Where = { $_.Resource -eq 'pods' } }
        @{ Name = 'Resource/subresource'; Params = @{ Resource = 'serviceaccounts/token' }; Where = { $_.Resource -eq 'serviceaccounts' -and $_.Subresource -eq 'token' } }
        @{ Name = 'Any subresource status'; Params = @{ Resource = '*/status' }; Where = { $_.Subresource -eq 'status' } }
        @{ Name = 'Namespace'; Params = @{ Namespace = 'kube-system' }; Where = { $_.Namespace -eq 'kube-system' } }
        @{ Name = 'Namespace wildcard'; Params = @{ Namespace = 'kube-*' }; Where = { $_.Namespace -like 'kube-*' } }
        @{ Name = 'Name wildcard'; Params = @{ Name = '*worker*' }; Where = { $_.Name -like '*worker*' } }
        @{ Name = 'Level'; Params = @{ Level = 'requestresponse' }; Where = { $_.Level -ceq 'RequestResponse' } }
        @{ Name = 'Stage'; Params = @{ Stage = 'RequestReceived' }; Where = { $_.Stage -ceq 'RequestReceived' } }
        @{ Name = 'StatusCode'; Params = @{ StatusCode = 403, 404 }; Where = { $_.Code -in 403, 404 } }
        @{ Name = 'Since/Until'; Params = @{ Since = [datetime]'2026-01-05T08:00:10Z'; Until = [datetime]'2026-01-05T08:00:20Z' }; Where = { $_.RequestReceivedTimestamp -ge [datetime]'2026-01-05T08:00:10Z' -and $_.RequestReceivedTimestamp -le [datetime]'2026-01-05T08:00:20Z' } }
        @{ Name = 'Combined'; Params = @{ Verb = 'update'; Namespace = 'kube-node-lease'; User = 'system:node:*' }; Where = { $_.Verb -eq 'update' -and $_.Namespace -eq 'kube-node-lease' -and $_.Username -like 'system:node:*' } }
    )
}

BeforeAll {
    . $PSScriptRoot/Common.ps1
    Import-KubeAudit
    $sample = Join-Path $RepoRoot 'samples/audit.log'
    $all = @(Get-KubeAuditEvent -Path $sample)
}

Describe 'Get-KubeAuditEvent -<Name>' -ForEach $Cases {
    It 'keeps exactly the events Where-Object keeps' {
        $expected = @($all | Where-Object $Where | ForEach-Object { "$($_.AuditId)/$($_.Stage)/$($_.Line)" })
        $actual = @(Get-KubeAuditEvent -Path $sample @Params | ForEach-Object { "$($_.AuditId)/$($_.Stage)/$($_.Line)" })
        $expected.Count | Should -BeGreaterThan 0 -Because 'the sample log should exercise every filter'
        $actual | Should -Be $expected
    }
}

Describe 'Filter parameters' {
    It 'complete verbs' {
        $result = TabExpansion2 -inputScript 'Get-KubeAuditEvent -Verb cr'
        $result.CompletionMatches.CompletionText | Should -Contain 'create'
    }

    It 'complete resources with subresources' {
        $result = TabExpansion2 -inputScript 'Get-KubeAuditEvent -Resource pods/e'
        $result.CompletionMatches.CompletionText | Should -Be @('pods/exec', 'pods/eviction')
    }

    It 'complete levels and stages' {
        (TabExpansion2 -inputScript 'Get-KubeAuditEvent -Level Req').CompletionMatches.CompletionText | Sort-Object | Should -Be @('Request', 'RequestResponse')
        (TabExpansion2 -inputScript 'Get-KubeAuditEvent -Stage Resp').CompletionMatches.CompletionText | Sort-Object | Should -Be @('ResponseComplete', 'ResponseStarted')
    }

    It 'refuses a level that does not exist' {
        { Get-KubeAuditEvent -Path $sample -Level Everything } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'stops reading early when the pipeline stops' {
        $first = Get-KubeAuditEvent -Path $sample -Verb get | Select-Object -First 1
        $first.Verb | Should -Be 'get'
    }
}

Describe 'Get-KubeAuditEvent -Since and -Until with a time back from now' {
    BeforeAll {
        # Events stamped relative to now, so a relative window has something on each side.
        $log = Join-Path $TestDrive 'recent.log'
        $now = [DateTimeOffset]::UtcNow
        Set-Content $log (@(90, 30, 5) | ForEach-Object {
                $t = $now.AddMinutes(-$_).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'")
                '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"m' + $_ + '","stage":"ResponseComplete","requestURI":"/api/v1/pods","verb":"list","user":{"username":"alice"},"requestReceivedTimestamp":"' + $t + '","stageTimestamp":"' + $t + '"}'
            })
    }

    It 'reads <Value> as that long ago' -ForEach @(
        @{ Value = '15m'; Params = @{ Since = '15m' }; Expected = @('m5') }
        @{ Value = '1h'; Params = @{ Since = '1h' }; Expected = @('m30', 'm5') }
        @{ Value = '2d'; Params = @{ Since = '2d' }; Expected = @('m90', 'm30', 'm5') }
        @{ Value = '0.5H until 10m'; Params = @{ Since = '0.5H'; Until = '10m' }; Expected = @() }
        @{ Value = '2h until 10m'; Params = @{ Since = '2h'; Until = '10m' }; Expected = @('m90', 'm30') }
    ) {
        @(Get-KubeAuditEvent -Path $log @Params).AuditId | Should -Be $Expected
    }

    It 'takes durations typed without quotes, which PowerShell reads as numbers (2d, 30s)' {
        @(Get-KubeAuditEvent -Path $log -Since 2d).AuditId | Should -Be @('m90', 'm30', 'm5')
        @(Get-KubeAuditEvent -Path $log -Since 1h -Until 10m).AuditId | Should -Be @('m30')
        @(Get-KubeAuditEvent -Path $log -Since 30s) | Should -BeNullOrEmpty
        @(Get-KubeAuditEvent -Path $log -Since 1w -Until 2d) | Should -BeNullOrEmpty
    }

    It 'still takes a date' {
        @(Get-KubeAuditEvent -Path $log -Since (Get-Date).AddMinutes(-45)).AuditId | Should -Be @('m30', 'm5')
    }

    It 'refuses what is neither a date nor a duration' {
        { Get-KubeAuditEvent -Path $log -Since '15 parsecs' } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*' -ExpectedMessage '*neither a date nor a time back from now*'
    }

    It 'completes durations' {
        (TabExpansion2 -inputScript 'Get-KubeAuditEvent -Since ').CompletionMatches.CompletionText | Should -Contain '1h'
    }
}
