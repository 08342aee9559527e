using System.Management.Automation;
using System.Security;
using KubeAudit.Core.Webhook;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Writes the kubeconfig-format file kube-apiserver's audit webhook backend reads (--audit-webhook-config-file).</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "KubeAuditWebhookConfig", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class NewKubeAuditWebhookConfigCommand : PSCmdlet
{
    #region Parameters

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The receiver's URL, as the API server reaches it (https://host:port/path).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public Uri Server { get; set; } = null!;

    /// <summary>The CA certificate that signed the receiver's certificate, as a path on the API server's host.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateAuthorityPath { get; set; }

    /// <summary>The client certificate the API server presents, as a path on its host.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientCertificatePath { get; set; }

    /// <summary>The client certificate's private key, as a path on the API server's host.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientKeyPath { get; set; }

    /// <summary>A bearer token the API server sends (stored in the file, which is why it is written 0600).</summary>
    [Parameter]
    public SecureString? Token { get; set; }

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Output the file written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!Server.IsAbsoluteUri || Server.Scheme is not ("https" or "http"))
        {
            ThrowTerminatingError(Errors.InvalidWebhookConfig($"-Server must be an absolute https:// URL, not '{Server.OriginalString}'.", Server));
        }

        if ((ClientCertificatePath is null) != (ClientKeyPath is null))
        {
            ThrowTerminatingError(Errors.InvalidWebhookConfig("-ClientCertificatePath and -ClientKeyPath go together.", ClientCertificatePath ?? ClientKeyPath));
        }

        if (Server.Scheme == "http")
        {
            WriteWarning("The server URL is plain http: audit events, which carry request bodies and tokens, would cross the network unencrypted. Receive-KubeAuditEvent allows it only on loopback.");
        }

        var written = NewFileWriter.WriteOrStop(this, Path, Force, "audit-webhook.kubeconfig", "audit webhook config", "Replace the audit webhook config",
            () => WebhookConfigBuilder.Build(Server, CertificateAuthorityPath, ClientCertificatePath, ClientKeyPath, SecretText.Of(Token)));
        if (PassThru && written is not null)
        {
            WriteObject(written);
        }
    }
}
