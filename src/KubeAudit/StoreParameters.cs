using System.Management.Automation;
using System.Net;
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
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"'{uri}' is not an http or https address of a store."), "KubeAudit.InvalidStoreUri", ErrorCategory.InvalidArgument, uri));
        }

        var network = credential?.GetNetworkCredential();
        return new StoreConnection
        {
            Uri = uri,
            Engine = (StoreEngine)(int)engine,
            Target = target,
            UserName = network?.UserName is { Length: > 0 } user ? user : null,
            Password = network?.Password,
            ApiKey = apiKey is null ? null : new NetworkCredential(string.Empty, apiKey).Password,
            CertificatePath = certificatePath is null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(certificatePath),
            SkipCertificateCheck = skipCertificateCheck,
        };
    }

    /// <summary>The error for a store that failed a request for good.</summary>
    public static ErrorRecord StoreFailed(StoreException ex, StoreConnection connection) =>
        new(ex, ex.StatusCode is 401 or 403 ? "KubeAudit.StoreAuthenticationFailed" : ex.StatusCode is null ? "KubeAudit.StoreUnavailable" : "KubeAudit.StoreRequestFailed",
            ex.StatusCode is 401 or 403 ? ErrorCategory.AuthenticationError : ex.StatusCode is null ? ErrorCategory.ConnectionError : ErrorCategory.WriteError,
            $"{connection.Engine} {connection.Uri} {connection.Target}");

    /// <summary>Opens the engine, or stops the command with why it cannot.</summary>
    public static T Open<T>(PSCmdlet cmdlet, StoreConnection connection, Func<StoreConnection, T> open)
    {
        try
        {
            return open(connection);
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "KubeAudit.CannotOpenStore",
                ex is NotSupportedException ? ErrorCategory.NotImplemented : ErrorCategory.InvalidArgument, connection.Uri));
            throw; // not reached
        }
    }
}
