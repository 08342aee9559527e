using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeAudit.Core.Stores;

/// <summary>How every store engine trusts the store's certificate: the system's trust, a private CA (-CertificatePath), or none (-SkipCertificateCheck).</summary>
public static class StoreTls
{
    /// <summary>Sets <paramref name="handler"/>'s certificate check from <paramref name="connection"/>; the system's trust when neither is given.</summary>
    public static void Configure(SocketsHttpHandler handler, StoreConnection connection)
    {
        if (connection.SkipCertificateCheck)
        {
#pragma warning disable CA5359 // -SkipCertificateCheck: the user asked for no validation.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (connection.CertificatePath is { Length: > 0 } path)
        {
            var authorities = LoadCertificates(path);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trust(certificate, errors, authorities);
        }
    }

    /// <summary>The CA certificates in a PEM (one or more) or DER file.</summary>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        var collection = new X509Certificate2Collection();
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"The CA certificate '{path}' cannot be read: {ex.Message}", null, retryable: false, ex);
        }

        try
        {
            if (bytes.AsSpan().IndexOf("-----BEGIN"u8) >= 0)
            {
                collection.ImportFromPem(Encoding.ASCII.GetString(bytes));
            }
            else
            {
                collection.Add(new X509Certificate2(bytes));
            }
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new StoreException($"'{path}' is not a PEM or DER certificate: {ex.Message}", null, retryable: false, ex);
        }

        if (collection.Count == 0)
        {
            throw new StoreException($"'{path}' holds no certificate.", null, retryable: false);
        }

        return collection;
    }

    /// <summary>System trust first; else a chain to one of the given authorities, for the right host name.</summary>
    public static bool Trust(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
