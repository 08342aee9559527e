using System.Management.Automation;
using System.Security;
using KubeAudit.Core.Stores;

namespace KubeAudit.Commands;

/// <summary>Turns the store parameters Send-KubeAuditEvent and Get-KubeAuditEvent share into a <see cref="StoreConnection"/>.</summary>
internal static class StoreParameters
{
    public static StoreConnection Connection(PSCmdlet cmdlet, Uri uri, AuditStoreEngine engine, string target, PSCredential? credential, SecureString? apiKey, string? certificatePath, bool skipCertificateCheck)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            cmdlet.ThrowTerminatingError(Errors.InvalidStoreUri(uri));
        }

        var network = credential?.GetNetworkCredential();
        return new StoreConnection
        {
            Uri = uri,
            Engine = (StoreEngine)(int)engine,
            Target = target,
            UserName = network?.UserName is { Length: > 0 } user ? user : null,
            Password = network?.Password,
            ApiKey = SecretText.Of(apiKey),
            CertificatePath = certificatePath is null ? null : PathResolver.ResolveFileSystemOrStop(cmdlet, certificatePath),
            SkipCertificateCheck = skipCertificateCheck,
        };
    }

    /// <summary>Opens the engine, or stops the command with why it cannot.</summary>
    public static T Open<T>(PSCmdlet cmdlet, StoreConnection connection, Func<StoreConnection, T> open)
    {
        try
        {
            return open(connection);
        }
        // A StoreException here is set-up, not the network: the CA file given cannot be read or holds no certificate.
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException or IOException or System.Security.Cryptography.CryptographicException or StoreException)
        {
            cmdlet.ThrowTerminatingError(Errors.CannotOpenStore(connection.Uri, ex));
            throw; // not reached
        }
    }
}
