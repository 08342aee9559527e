using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KubeAudit.Core.Webhook;

/// <summary>
/// Decides whether a request may deliver events: a client certificate that chains to one of the
/// given CAs, or the bearer token (compared in constant time), or anyone when anonymous is allowed.
/// </summary>
public sealed class WebhookAuthenticator
{
    private readonly X509Certificate2Collection? _clientCas;
    private readonly byte[]? _tokenHash;
    private readonly bool _anonymous;
    private readonly ConcurrentDictionary<string, bool> _verdicts = new(StringComparer.Ordinal);

    /// <param name="clientCas">CAs a client certificate must chain to; null to not accept certificates.</param>
    /// <param name="bearerToken">The token clients must send; null to not accept tokens.</param>
    /// <param name="allowAnonymous">Accept requests with no credentials at all.</param>
    public WebhookAuthenticator(X509Certificate2Collection? clientCas, string? bearerToken, bool allowAnonymous)
    {
        _clientCas = clientCas;
        _tokenHash = bearerToken is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(bearerToken));
        _anonymous = allowAnonymous;
    }

    /// <summary>Whether the server should ask for client certificates in the handshake.</summary>
    public bool WantsClientCertificate => _clientCas is not null;

    /// <summary>Null when the request may pass; otherwise the status (401 or 403) and the reason.</summary>
    public WebhookResponse? Check(WebhookRequest request)
    {
        if (_anonymous)
        {
            return null;
        }

        if (_tokenHash is not null && request.Authorization is { } authorization)
        {
            const string Bearer = "Bearer ";
            if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            {
                return new WebhookResponse(401, "Unauthorized: only bearer tokens are accepted.");
            }

            // Hashing first makes both sides the same length, so the comparison time says nothing about the token.
            var given = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Bearer.Length..].Trim()));
            return CryptographicOperations.FixedTimeEquals(given, _tokenHash)
                ? null
                : new WebhookResponse(401, "Unauthorized: the bearer token is not the one this receiver expects.");
        }

        if (_clientCas is not null && request.ClientCertificate is { } certificate)
        {
            if (_verdicts.Count > 1024)
            {
                _verdicts.Clear(); // a bound, not a policy: many distinct clients just cost a chain build again
            }

            return _verdicts.GetOrAdd(certificate.Thumbprint, _ => Chains(certificate))
                ? null
                : new WebhookResponse(403, "Forbidden: the client certificate is not issued by a CA in -ClientCaPath.");
        }

        return new WebhookResponse(401, "Unauthorized: send a client certificate or a bearer token.");
    }

    private bool Chains(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_clientCas!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(certificate);
    }
}
