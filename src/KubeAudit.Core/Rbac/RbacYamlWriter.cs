using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KubeAudit.Core.Rbac;

/// <summary>
/// Writes roles and bindings as multi-document YAML for <c>kubectl apply</c>, in the layout of
/// sigs.k8s.io/yaml (keys alphabetical, list items level with their key): the same objects give the
/// same bytes. Order: Roles, ClusterRole, RoleBindings, ClusterRoleBinding, as audit2rbac prints them.
/// </summary>
public static partial class RbacYamlWriter
{
    /// <summary>The YAML of a generated policy.</summary>
    public static string Write(RbacPolicy policy) => Write(policy.Roles, policy.Bindings);

    /// <summary>The YAML of <paramref name="roles"/> then <paramref name="bindings"/>, each in the order given.</summary>
    public static string Write(IEnumerable<RbacRole> roles, IEnumerable<RbacBinding> bindings)
    {
        var documents = new List<string>();
        documents.AddRange(roles.OrderBy(r => r.IsClusterRole).Select(WriteRole));
        documents.AddRange(bindings.OrderBy(b => b.Kind == RbacObject.ClusterRoleBinding).Select(WriteBinding));
        return string.Join("---\n", documents);
    }

    private static string WriteRole(RbacRole role)
    {
        var sb = new StringBuilder();
        Header(sb, role.Kind, role.Name, role.Namespace, role.Labels, role.Annotations);
        if (role.Rules.Count == 0)
        {
            sb.Append("rules: []\n");
            return sb.ToString();
        }

        sb.Append("rules:\n");
        foreach (var rule in role.Rules)
        {
            var first = true;
            void List(string key, IReadOnlyList<string> values)
            {
                if (values.Count == 0)
                {
                    return;
                }

                sb.Append(first ? "- " : "  ").Append(key).Append(":\n");
                first = false;
                foreach (var v in values)
                {
                    sb.Append("  - ").Append(Scalar(v)).Append('\n');
                }
            }

            List("apiGroups", rule.ApiGroups);
            List("nonResourceURLs", rule.NonResourceUrls);
            List("resourceNames", rule.ResourceNames);
            List("resources", rule.Resources);
            List("verbs", rule.Verbs);
        }

        return sb.ToString();
    }

    private static string WriteBinding(RbacBinding binding)
    {
        var sb = new StringBuilder();
        Header(sb, binding.Kind, binding.Name, binding.Namespace, binding.Labels, binding.Annotations);
        sb.Append("roleRef:\n");
        sb.Append("  apiGroup: ").Append(Scalar(RbacObject.RbacGroup)).Append('\n');
        sb.Append("  kind: ").Append(Scalar(binding.RoleKind)).Append('\n');
        sb.Append("  name: ").Append(Scalar(binding.RoleName)).Append('\n');
        sb.Append("subjects:\n");
        foreach (var s in binding.Subjects)
        {
            var prefix = "- ";
            if (s.ApiGroup.Length > 0)
            {
                sb.Append(prefix).Append("apiGroup: ").Append(Scalar(s.ApiGroup)).Append('\n');
                prefix = "  ";
            }

            sb.Append(prefix).Append("kind: ").Append(Scalar(s.Kind)).Append('\n');
            sb.Append("  name: ").Append(Scalar(s.Name)).Append('\n');
            if (s.Namespace.Length > 0)
            {
                sb.Append("  namespace: ").Append(Scalar(s.Namespace)).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static void Header(
        StringBuilder sb, string kind, string name, string ns,
        IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations)
    {
        sb.Append("apiVersion: ").Append(RbacObject.ApiVersion).Append('\n');
        sb.Append("kind: ").Append(kind).Append('\n');
        sb.Append("metadata:\n");
        Map(sb, "annotations", annotations);
        Map(sb, "labels", labels);
        sb.Append("  name: ").Append(Scalar(name)).Append('\n');
        if (ns.Length > 0)
        {
            sb.Append("  namespace: ").Append(Scalar(ns)).Append('\n');
        }
    }

    private static void Map(StringBuilder sb, string key, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        sb.Append("  ").Append(key).Append(":\n");
        foreach (var (k, v) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sb.Append("    ").Append(Scalar(k)).Append(": ").Append(Scalar(v)).Append('\n');
        }
    }

    /// <summary>
    /// A string as a YAML scalar that every YAML 1.1/1.2 reader takes as that string: plain when it cannot
    /// be read as anything else, else double-quoted with JSON escapes.
    /// </summary>
    public static string Scalar(string value)
    {
        if (Plain().IsMatch(value) && !s_reserved.Contains(value) && !value.EndsWith(':'))
        {
            return value;
        }

        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\u007f': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }

        return sb.Append('"').ToString();
    }

    // Starts with a letter, '/' or '_'; no ": ", "#" or flow characters. Digits first could be a number or a date.
    [GeneratedRegex("^[A-Za-z/_][A-Za-z0-9/._:-]*$")]
    private static partial Regex Plain();

    private static readonly HashSet<string> s_reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "y", "n", "on", "off", "null", "nan", "inf",
    };
}
