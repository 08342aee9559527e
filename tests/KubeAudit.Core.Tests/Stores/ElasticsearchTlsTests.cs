using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KubeAudit.Core.Stores;

namespace KubeAudit.Core.Tests.Stores;

/// <summary>-CertificatePath: a private CA in PEM or DER, trusted for chains it signs, and only for the right host.</summary>
public class ElasticsearchTlsTests
{
    [Fact]
    public void LoadCertificates_PemAndDer_SameAuthority()
    {
        using var folder = new TempFolder();
        using var ca = NewAuthority("CN=KubeAudit Test CA");
        File.WriteAllText(folder.File("ca.pem"), ca.ExportCertificatePem());
        File.WriteAllBytes(folder.File("ca.der"), ca.Export(X509ContentType.Cert));

        var pem = StoreTls.LoadCertificates(folder.File("ca.pem"));
        var der = StoreTls.LoadCertificates(folder.File("ca.der"));

        Assert.Equal(ca.Thumbprint, Assert.Single(pem).Thumbprint);
        Assert.Equal(ca.Thumbprint, Assert.Single(der).Thumbprint);
    }

    [Fact]
    public void LoadCertificates_NotACertificate_NotRetryableStoreException()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("ca.pem"), "not a certificate");

        var ex = Assert.Throws<StoreException>(() => StoreTls.LoadCertificates(folder.File("ca.pem")));

        Assert.False(ex.Retryable);
        Assert.Contains("ca.pem", ex.Message);
    }

    [Fact]
    public void Trust_ChainToThePrivateAuthority_TrustedOnlyForThatAuthorityAndHost()
    {
        using var ca = NewAuthority("CN=KubeAudit Test CA");
        using var other = NewAuthority("CN=Someone Else");
        using var leaf = NewLeaf(ca, "es.example");
        var trusted = new X509Certificate2Collection { ca };
        var untrusted = new X509Certificate2Collection { other };

        Assert.True(StoreTls.Trust(leaf, SslPolicyErrors.RemoteCertificateChainErrors, trusted));
        Assert.False(StoreTls.Trust(leaf, SslPolicyErrors.RemoteCertificateChainErrors, untrusted));
        Assert.False(StoreTls.Trust(leaf, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, trusted));
        Assert.True(StoreTls.Trust(leaf, SslPolicyErrors.None, untrusted));
    }

    private static X509Certificate2 NewAuthority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 NewLeaf(X509Certificate2 issuer, string host)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        return request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3, 4]);
    }
}
