using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KubeAudit.Core.Webhook;

/// <summary>
/// The kubeconfig-format file kube-apiserver reads for <c>--audit-webhook-config-file</c>: one cluster
/// (the receiver's URL and the CA that signed its certificate), one user (client certificate and key,
/// or a token), one context, current. Paths are written as given: the API server resolves them on its
/// own host (clientcmd takes relative paths as relative to the config file).
/// </summary>
public static class WebhookConfigBuilder
{
    /// <summary>Builds the YAML text.</summary>
    public static string Build(Uri server, string? certificateAuthorityPath, string? clientCertificatePath, string? clientKeyPath, string? token)
    {
        ArgumentNullException.ThrowIfNull(server);
        var text = new StringBuilder();
        text.Append("# Written by New-KubeAuditWebhookConfig for kube-apiserver --audit-webhook-config-file.\n");
        text.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: kubeaudit-receiver\n  cluster:\n");
        text.Append("    server: ").Append(Quote(server.OriginalString)).Append('\n');
        if (certificateAuthorityPath is not null)
        {
            text.Append("    certificate-authority: ").Append(Quote(certificateAuthorityPath)).Append('\n');
        }

        text.Append("users:\n- name: kube-apiserver\n  user:");
        if (clientCertificatePath is null && token is null)
        {
            text.Append(" {}");
        }

        text.Append('\n');
        if (clientCertificatePath is not null)
        {
            text.Append("    client-certificate: ").Append(Quote(clientCertificatePath)).Append('\n');
            text.Append("    client-key: ").Append(Quote(clientKeyPath!)).Append('\n');
        }

        if (token is not null)
        {
            text.Append("    token: ").Append(Quote(token)).Append('\n');
        }

        text.Append("contexts:\n- name: default\n  context:\n    cluster: kubeaudit-receiver\n    user: kube-apiserver\ncurrent-context: default\n");
        return text.ToString();
    }

    // Only what JSON must escape (quote, backslash, control characters) is escaped.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // A YAML double-quoted scalar; JSON string escaping is a subset of it.
    private static string Quote(string value) => JsonSerializer.Serialize(value, s_json);
}
