using System.Security;
using System.Security.Cryptography.X509Certificates;

namespace KubeAudit.Core.Webhook;

/// <summary>Loads the receiver's server certificate (PEM pair or PFX) and the client CAs.</summary>
public static class WebhookCertificates
{
    /// <summary>A PEM certificate and its PEM private key.</summary>
    public static X509Certificate2 LoadPem(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // Round-tripped through PKCS#12: SslStream on Windows cannot use the ephemeral key a PEM import gives.
        return new X509Certificate2(pem.Export(X509ContentType.Pkcs12));
    }

    /// <summary>A PKCS#12 (.pfx/.p12) file with its private key.</summary>
    public static X509Certificate2 LoadPfx(string path, SecureString? password) =>
        password is null ? new X509Certificate2(path) : new X509Certificate2(path, password);

    /// <summary>Every certificate in a PEM bundle.</summary>
    public static X509Certificate2Collection LoadBundle(string path)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(path);
        if (all.Count == 0)
        {
            throw new InvalidDataException($"The file '{path}' holds no PEM certificate.");
        }

        return all;
    }
}
