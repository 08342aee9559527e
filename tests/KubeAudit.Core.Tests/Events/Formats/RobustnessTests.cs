using System.Text;
using KubeAudit.Core.Events.Formats;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>Damaged inputs of every shape give diagnostics, never exceptions.</summary>
public class RobustnessTests
{
    public static TheoryData<string> Samples() =>
    [
        "afcollins-single-event.json",
        "sysdig-aks-sample_EventHubs_event.json",
        "sysdig-aks-eventhub-wrapped-event.json",
        "k8s-website-docs/k8s-website-docs-2017a-v1alpha1-EventList.json",
        "k8s-website-docs/k8s-website-docs-2017a-legacy-audit.log",
        "k8s-website-docs/k8s-website-docs-2016-legacy-basic-audit.log",
        "audit2rbac-demo.log",
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void TruncatedAtEveryFewBytes_NeverThrows(string sample)
    {
        var bytes = File.ReadAllBytes(TestPaths.CorpusFile(["events", .. sample.Split('/')]));
        var step = Math.Max(1, bytes.Length / 97);
        for (var length = 0; length <= bytes.Length; length += step)
        {
            var records = FormatTestHelpers.ReadBytes(bytes[..length]);
            Assert.All(records, r => Assert.True(r.Event is null != (r.Error is null)));
            _ = AuditSource.ReadText([Encoding.UTF8.GetString(bytes, 0, length)], "x").ToList();
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void BytesDamaged_NeverThrows(string sample)
    {
        var original = File.ReadAllBytes(TestPaths.CorpusFile(["events", .. sample.Split('/')]));
        var random = new Random(42);
        byte[] noise = [(byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)'\n', (byte)',', (byte)':', 0xFF, 0xC3, (byte)'u', (byte)'0'];
        for (var round = 0; round < 150; round++)
        {
            var bytes = (byte[])original.Clone();
            for (var k = 0; k < 1 + (round % 4); k++)
            {
                bytes[random.Next(bytes.Length)] = noise[random.Next(noise.Length)];
            }

            var records = FormatTestHelpers.ReadBytes(bytes);
            Assert.All(records, r => Assert.True(r.Event is null != (r.Error is null)));
        }
    }
}
