using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

public class KubernetesVersionTests
{
    [Theory]
    [InlineData("1.29", 29)]
    [InlineData("v1.30", 30)]
    [InlineData("1.23.17", 23)]
    [InlineData("v1.31.4-eks-1234", 31)]
    [InlineData(" 1.8 ", 8)]
    public void ReadsTheMinor(string text, int minor)
    {
        Assert.True(KubernetesVersion.TryParseMinor(text, out var parsed));
        Assert.Equal(minor, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2.1")]
    [InlineData("1")]
    [InlineData("1.x")]
    [InlineData("latest")]
    [InlineData(null)]
    public void RefusesTheRest(string? text)
    {
        Assert.False(KubernetesVersion.TryParseMinor(text, out _));
    }
}
