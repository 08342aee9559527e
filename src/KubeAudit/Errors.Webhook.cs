using System.Management.Automation;

namespace KubeAudit.Commands;

/// <summary>The webhook commands' ErrorRecords: Receive-KubeAuditEvent and New-KubeAuditWebhookConfig.</summary>
internal static partial class Errors
{
    /// <summary>Error ID <c>KubeAudit.InsecureHttpNotLoopback</c>.</summary>
    public const string InsecureHttpNotLoopbackId = "KubeAudit.InsecureHttpNotLoopback";

    /// <summary>Error ID <c>KubeAudit.WebhookAuthenticationMissing</c>.</summary>
    public const string WebhookAuthenticationMissingId = "KubeAudit.WebhookAuthenticationMissing";

    /// <summary>Error ID <c>KubeAudit.WebhookListenFailed</c>.</summary>
    public const string WebhookListenFailedId = "KubeAudit.WebhookListenFailed";

    /// <summary>Error ID <c>KubeAudit.InvalidListenAddress</c>.</summary>
    public const string InvalidListenAddressId = "KubeAudit.InvalidListenAddress";

    /// <summary>Error ID <c>KubeAudit.WebhookCertificateUnreadable</c>.</summary>
    public const string WebhookCertificateUnreadableId = "KubeAudit.WebhookCertificateUnreadable";

    /// <summary>Error ID <c>KubeAudit.InvalidWebhookConfig</c>.</summary>
    public const string InvalidWebhookConfigId = "KubeAudit.InvalidWebhookConfig";

    /// <summary>-AllowInsecureHttp on an address other than loopback: events carry secrets.</summary>
    public static ErrorRecord InsecureHttpNotLoopback(string listenAddress) =>
        new(
            new ArgumentException($"-AllowInsecureHttp listens only on a loopback address, not {listenAddress}: audit events carry secrets and tokens."),
            InsecureHttpNotLoopbackId,
            ErrorCategory.InvalidArgument,
            listenAddress);

    /// <summary>None of -ClientCaPath, -BearerToken or -AllowAnonymous: the receiver would not know who may post.</summary>
    public static ErrorRecord WebhookAuthenticationMissing() =>
        new(
            new ArgumentException("Say who may post: -ClientCaPath (client certificates), -BearerToken, or -AllowAnonymous."),
            WebhookAuthenticationMissingId,
            ErrorCategory.InvalidArgument,
            null);

    /// <summary>The listener could not start (the port taken, say); "address:port" is the target.</summary>
    public static ErrorRecord WebhookListenFailed(string endPoint, IOException exception) =>
        new(exception, WebhookListenFailedId, ErrorCategory.ResourceUnavailable, endPoint);

    /// <summary>A -ListenAddress that is neither an IP address nor localhost.</summary>
    public static ErrorRecord InvalidListenAddress(string listenAddress) =>
        new(new ArgumentException($"'{listenAddress}' is not an IP address."), InvalidListenAddressId, ErrorCategory.InvalidArgument, listenAddress);

    /// <summary>A server certificate, key or client CA bundle that cannot be read or loaded; the file is the target.</summary>
    public static ErrorRecord WebhookCertificateUnreadable(string path, Exception exception) =>
        new(exception, WebhookCertificateUnreadableId, ErrorCategory.InvalidData, path);

    /// <summary>New-KubeAuditWebhookConfig parameters that make no usable configuration.</summary>
    public static ErrorRecord InvalidWebhookConfig(string message, object? target) =>
        new(new ArgumentException(message), InvalidWebhookConfigId, ErrorCategory.InvalidArgument, target);
}
