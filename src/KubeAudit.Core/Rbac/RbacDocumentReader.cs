using KubeAudit.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace KubeAudit.Core.Rbac;

/// <summary>
/// Reads RBAC objects from YAML or JSON text (<c>kubectl get roles,clusterroles,rolebindings,clusterrolebindings -A -o yaml</c>):
/// multi-document, <c>kind: List</c> flattened. A document or list item that is not RBAC is one diagnostic naming
/// file, line and document; the others are kept.
/// </summary>
public static class RbacDocumentReader
{
    private static readonly IDeserializer s_deserializer = new DeserializerBuilder().Build();

    /// <summary>Reads a file into <paramref name="result"/>.</summary>
    public static void ReadFile(string path, RbacReadResult result)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            result.Diagnostics.Add(new Diagnostic(DiagnosticCodes.ReadFailed, DiagnosticSeverity.Error, ex.Message, path));
            return;
        }

        Read(text, path, result);
    }

    /// <summary>Reads YAML or JSON text into <paramref name="result"/>.</summary>
    public static void Read(string text, string? file, RbacReadResult result)
    {
        var parser = new Parser(new StringReader(text));
        var document = 0;
        long line = 1;
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                document++;
                line = parser.Current?.Start.Line ?? line; // the document's first line, not its "---"
                var value = s_deserializer.Deserialize<object?>(parser);
                parser.Consume<DocumentEnd>();
                if (value is null)
                {
                    continue; // an empty document, as after a trailing ---
                }

                ReadObject(value, file, line, $"document {document}", result);
            }
        }
        catch (YamlException ex)
        {
            // After a syntax error the parser cannot find the next document: what came before is kept.
            result.Diagnostics.Add(new Diagnostic(
                DiagnosticCodes.InvalidYaml, DiagnosticSeverity.Error,
                $"Document {Math.Max(document, 1)} is not valid YAML or JSON: {ex.Message}", file, ex.Start.Line, ex.Start.Column));
        }
    }

    private static void ReadObject(object value, string? file, long line, string where, RbacReadResult result)
    {
        if (value is not Dictionary<object, object> map)
        {
            NotRbac($"{where} is not an object", file, line, result);
            return;
        }

        var kind = Str(map, "kind");
        var apiVersion = Str(map, "apiVersion");
        if (kind == "List" || (kind?.EndsWith("List", StringComparison.Ordinal) == true && map.ContainsKey("items")))
        {
            var items = map.GetValueOrDefault("items") as List<object> ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                ReadObject(items[i], file, line, $"{where} item {i + 1}", result);
            }

            return;
        }

        if (apiVersion is null || !apiVersion.StartsWith(RbacObject.RbacGroup + "/", StringComparison.Ordinal))
        {
            NotRbac($"{where} is {kind ?? "an object without kind"} ({apiVersion ?? "no apiVersion"}), not an {RbacObject.RbacGroup} object", file, line, result);
            return;
        }

        try
        {
            switch (kind)
            {
                case RbacObject.Role or RbacObject.ClusterRole:
                    result.Roles.Add(ReadRole(map, kind, file, line));
                    break;
                case RbacObject.RoleBinding or RbacObject.ClusterRoleBinding:
                    result.Bindings.Add(ReadBinding(map, kind, file, line));
                    break;
                default:
                    NotRbac($"{where} is {kind ?? "an object without kind"}, not a Role, ClusterRole, RoleBinding or ClusterRoleBinding", file, line, result);
                    break;
            }
        }
        catch (FormatException ex)
        {
            result.Diagnostics.Add(new Diagnostic(
                RbacDiagnosticCodes.InvalidRbacObject, DiagnosticSeverity.Error, $"{where} ({kind}): {ex.Message}", file, line));
        }
    }

    private static RbacRole ReadRole(Dictionary<object, object> map, string kind, string? file, long line)
    {
        var meta = Map(map, "metadata");
        List<LabelSelector>? selectors = null;
        if (Map(map, "aggregationRule") is { } aggregation)
        {
            selectors = List(aggregation, "clusterRoleSelectors").Select(s => ReadSelector(s as Dictionary<object, object>)).ToList();
        }

        return new RbacRole
        {
            Kind = kind,
            Name = Str(meta, "name") ?? string.Empty,
            Namespace = kind == RbacObject.Role ? Str(meta, "namespace") ?? string.Empty : string.Empty,
            Labels = StringMap(Map(meta, "labels")),
            Annotations = StringMap(Map(meta, "annotations")),
            Rules = List(map, "rules").Select(r => ReadRule(r as Dictionary<object, object> ?? throw new FormatException("a rule is not an object"))).ToList(),
            AggregationSelectors = selectors,
            File = file,
            Line = line,
        };
    }

    private static PolicyRule ReadRule(Dictionary<object, object> map) => new()
    {
        Verbs = Strings(map, "verbs"),
        ApiGroups = Strings(map, "apiGroups"),
        Resources = Strings(map, "resources"),
        ResourceNames = Strings(map, "resourceNames"),
        NonResourceUrls = Strings(map, "nonResourceURLs"),
    };

    private static LabelSelector ReadSelector(Dictionary<object, object>? map)
    {
        var expressions = List(map, "matchExpressions").Select(e =>
        {
            var m = e as Dictionary<object, object> ?? throw new FormatException("a matchExpression is not an object");
            return (Str(m, "key") ?? string.Empty, Str(m, "operator") ?? string.Empty, (IReadOnlyList<string>)Strings(m, "values"));
        }).ToList();
        return new LabelSelector { MatchLabels = StringMap(Map(map, "matchLabels")), MatchExpressions = expressions };
    }

    private static RbacBinding ReadBinding(Dictionary<object, object> map, string kind, string? file, long line)
    {
        var meta = Map(map, "metadata");
        var roleRef = Map(map, "roleRef") ?? throw new FormatException("roleRef is missing");
        var ns = kind == RbacObject.RoleBinding ? Str(meta, "namespace") ?? string.Empty : string.Empty;
        var subjects = List(map, "subjects").Select(s =>
        {
            var m = s as Dictionary<object, object> ?? throw new FormatException("a subject is not an object");
            var subjectKind = Str(m, "kind") ?? throw new FormatException("a subject has no kind");
            // A ServiceAccount subject without namespace is in the binding's namespace (as the authorizer reads it).
            var subjectNs = Str(m, "namespace") ?? (subjectKind == RbacSubject.ServiceAccountKind ? ns : string.Empty);
            return new RbacSubject(subjectKind, Str(m, "name") ?? string.Empty, subjectKind == RbacSubject.ServiceAccountKind ? subjectNs : string.Empty);
        }).ToList();
        return new RbacBinding
        {
            Kind = kind,
            Name = Str(meta, "name") ?? string.Empty,
            Namespace = ns,
            Labels = StringMap(Map(meta, "labels")),
            Annotations = StringMap(Map(meta, "annotations")),
            RoleKind = Str(roleRef, "kind") ?? throw new FormatException("roleRef.kind is missing"),
            RoleName = Str(roleRef, "name") ?? throw new FormatException("roleRef.name is missing"),
            Subjects = subjects,
            File = file,
            Line = line,
        };
    }

    private static void NotRbac(string message, string? file, long line, RbacReadResult result) =>
        result.Diagnostics.Add(new Diagnostic(RbacDiagnosticCodes.NotAnRbacObject, DiagnosticSeverity.Error, message + ".", file, line));

    private static string? Str(Dictionary<object, object>? map, string key) => map?.GetValueOrDefault(key) switch
    {
        null => null,
        string s => s,
        _ => throw new FormatException($"{key} is not a string"),
    };

    private static Dictionary<object, object>? Map(Dictionary<object, object>? map, string key) => map?.GetValueOrDefault(key) switch
    {
        null => null,
        Dictionary<object, object> m => m,
        _ => throw new FormatException($"{key} is not an object"),
    };

    private static List<object> List(Dictionary<object, object>? map, string key) => map?.GetValueOrDefault(key) switch
    {
        null => [],
        List<object> l => l,
        _ => throw new FormatException($"{key} is not a list"),
    };

    private static string[] Strings(Dictionary<object, object> map, string key) =>
        List(map, key).Select(v => v as string ?? throw new FormatException($"{key} holds a value that is not a string")).ToArray();

    private static SortedDictionary<string, string> StringMap(Dictionary<object, object>? map)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in map ?? [])
        {
            result[k.ToString() ?? string.Empty] = v as string ?? string.Empty;
        }

        return result;
    }
}
