using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;
using static KubeAudit.Core.Tests.Manifests.ManifestFixtures;

namespace KubeAudit.Core.Tests.Manifests;

/// <summary>The webhook's mode and batch flags: written as kube-apiserver's flags, checked as it checks them, mounted, idempotent, removed by Disable.</summary>
public sealed class WebhookFlagsTests
{
    private const string Webhook = "/etc/kubernetes/audit-webhook.yaml";

    private static AuditEnableOptions Batch(string? mode = "batch", float? qps = 10, int? burst = 15, bool? throttle = null, int? buffer = null, int? maxSize = 400, string? config = Webhook, bool force = false) => new()
    {
        WebhookConfigPath = config,
        WebhookMode = mode,
        WebhookBatchMaxSize = maxSize,
        WebhookBatchMaxWait = TimeSpan.FromSeconds(5),
        WebhookBatchThrottleQps = qps,
        WebhookBatchThrottleBurst = burst,
        WebhookBatchThrottleEnable = throttle,
        WebhookBatchBufferSize = buffer,
        WebhookInitialBackoff = TimeSpan.FromMilliseconds(1500),
        Force = force,
    };

    [Fact]
    public void Enable_WritesEachFlag_MountsTheConfigReadOnly_AndIsIdempotent()
    {
        var result = ApiServerManifestEditor.Enable(Pod(), Batch(throttle: true, buffer: 20000));

        Assert.True(result.Changed, string.Join("\n", result.Diagnostics));
        string[] expected =
        [
            "--audit-webhook-batch-buffer-size=20000", "--audit-webhook-batch-max-size=400", "--audit-webhook-batch-max-wait=5s",
            "--audit-webhook-batch-throttle-burst=15", "--audit-webhook-batch-throttle-enable=true", "--audit-webhook-batch-throttle-qps=10",
            "--audit-webhook-config-file=" + Webhook, "--audit-webhook-initial-backoff=1.5s", "--audit-webhook-mode=batch",
        ];
        var items = result.NewText.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- --audit-webhook-", StringComparison.Ordinal)).Select(l => l[2..]);
        Assert.Equal(expected, items);
        var config = ApiServerManifestReader.ReadText(result.NewText);
        Assert.Equal("batch", config.WebhookMode);
        Assert.Equal("5s", config.WebhookBatchMaxWait);
        Assert.Equal("1.5s", config.WebhookInitialBackoff);
        Assert.Equal("20000", config.WebhookBatchBufferSize);
        var mount = Assert.Single(config.Mounts, x => x.MountPath == Webhook);
        Assert.True(mount.ReadOnly);
        Assert.Contains(config.Volumes, v => v.HostPath == Webhook && v.Type == "File");
        Assert.DoesNotContain(config.Problems, p => p.Severity == "Error" && p.Flag?.StartsWith("audit-webhook", StringComparison.Ordinal) == true);

        var again = ApiServerManifestEditor.Enable(result.NewText, Batch(throttle: true, buffer: 20000));
        Assert.True(again.Succeeded);
        Assert.False(again.Changed);
    }

    [Fact]
    public void SameDurationWrittenOtherwise_IsNoConflict()
    {
        // kops writes --audit-webhook-batch-max-wait=5s; 5000ms is the same wait.
        var options = new AuditEnableOptions
        {
            PolicyPath = "/etc/kubernetes/audit/policy-config.yaml", LogPath = "/var/log/kube-apiserver-audit.log", MaxAge = 10, MaxBackup = 1, MaxSize = 100,
            WebhookConfigPath = "/etc/kubernetes/audit/webhook-config.yaml", WebhookBatchMaxWait = TimeSpan.FromMilliseconds(5000),
        };

        var result = ApiServerManifestEditor.Enable(Corpus(Kops), options);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.False(result.Changed);
    }

    [Fact]
    public void DifferentValue_IsAConflictWithoutForce()
    {
        var first = ApiServerManifestEditor.Enable(Pod(), Batch()).NewText;

        var conflict = ApiServerManifestEditor.Enable(first, Batch(maxSize: 100));
        var forced = ApiServerManifestEditor.Enable(first, Batch(maxSize: 100, force: true));

        Assert.Equal(DiagnosticCodes.AuditFlagConflict, Assert.Single(conflict.Diagnostics).Code);
        Assert.Contains("set --audit-webhook-batch-max-size=100 (was 400)", forced.Changes);
    }

    [Theory]
    [InlineData("batch", 10f, 15, null, 0, 400, "invalid audit batch webhook buffer size 0, must be a positive number")]
    [InlineData("batch", 10f, 15, null, null, 0, "invalid audit batch webhook max batch size 0, must be a positive number")]
    [InlineData("batch", -1f, 15, null, null, 400, "invalid audit batch webhook throttle QPS -1, must be a positive number")]
    [InlineData("batch", 10f, 0, true, null, 400, "invalid audit batch webhook throttle burst 0, must be a positive number")]
    public void InvalidBatchValues_AreRefusedWithKubeApiServersMessage(string mode, float qps, int burst, bool? throttle, int? buffer, int maxSize, string message)
    {
        var result = ApiServerManifestEditor.Enable(Pod(), Batch(mode, qps, burst, throttle, buffer, maxSize));

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.InvalidAuditFlag, error.Code);
        Assert.Equal(message, error.Message);
        Assert.False(result.Changed);
    }

    [Theory]
    [InlineData("blocking", -1f, 0, null, -5, 0)]
    [InlineData("batch", 0f, 0, false, 5, 1)]
    public void ValuesKubeApiServerIgnores_AreAccepted(string mode, float qps, int burst, bool? throttle, int? buffer, int maxSize)
    {
        // Batch values are not checked outside batch mode, nor the throttle's when throttling is off (options/audit.go).
        var result = ApiServerManifestEditor.Enable(Pod(), Batch(mode, qps, burst, throttle, buffer, maxSize));

        Assert.True(result.Changed, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public void ExistingThrottleOff_LetsAZeroQpsThrough_AndAnInvalidModeIsRefused()
    {
        var pod = Pod(flags: "    - --audit-webhook-batch-throttle-enable=false\n");

        Assert.True(ApiServerManifestEditor.Enable(pod, Batch(qps: 0)).Succeeded);
        Assert.Equal(
            "invalid audit webhook mode fast, allowed modes are \"batch,blocking,blocking-strict\"",
            Assert.Single(ApiServerManifestEditor.Enable(pod, Batch(mode: "fast")).Diagnostics).Message);
    }

    [Fact]
    public void BatchFlags_WithoutAWebhookConfig_AreRefused()
    {
        var result = ApiServerManifestEditor.Enable(Pod(), Batch(config: null));

        Assert.Contains("--audit-webhook-config-file", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disable_RemovesTheWebhookFlagsAndMount()
    {
        var original = Pod();
        var enabled = ApiServerManifestEditor.Enable(original, Batch(throttle: false)).NewText;

        Assert.Equal(original, ApiServerManifestEditor.Disable(enabled).NewText);
    }

    [Fact]
    public void Kubeadm_MirrorsTheWebhookFlags()
    {
        var (flags, volumes) = KubeadmConfigEditor.Mirror(Batch());

        Assert.Contains(("audit-webhook-mode", "batch"), flags);
        Assert.Contains(("audit-webhook-batch-max-wait", "5s"), flags);
        Assert.Contains(volumes, v => v.Name == "audit-webhook" && v.ReadOnly);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("0", 0)]
    [InlineData("-2s", -2_000)]
    [InlineData("1h2m3.5s", 3_723_500)]
    public void GoDuration_Parses(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("5 s")]
    [InlineData("1d")]
    [InlineData("s")]
    public void GoDuration_RefusesWhatGoRefuses(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1500, "1.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(-5_000, "-5s")]
    public void GoDuration_FormatsAsGoDoes(long milliseconds, string text) => Assert.Equal(text, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
