using System.Globalization;
using System.Text.Json;

namespace KubeAudit.Core.Detections.Yaml;

/// <summary>
/// A property path in a rule condition (<c>verb</c>, <c>user.groups</c>,
/// <c>requestObject.spec.containers[*].securityContext.privileged</c>) and how to read it from an event.
/// Common fields are read from the typed event; anything else from the event's JSON, parsed once per
/// event however many rules ask. Names match the JSON's first, then case-insensitively, so the event's
/// PowerShell property names (<c>Username</c>, <c>Namespace</c>) work too.
/// </summary>
internal sealed class EventPath
{
#pragma warning disable IDE1006 // t_ marks a [ThreadStatic] field, as the .NET runtime names them.
    [ThreadStatic]
    private static AuditEvent? t_cachedEvent;

    [ThreadStatic]
    private static JsonDocument? t_cachedDocument;
#pragma warning restore IDE1006

    private readonly Func<AuditEvent, IEnumerable<string?>>? _fast;
    private readonly Segment[] _segments;

    private EventPath(string text, Func<AuditEvent, IEnumerable<string?>>? fast, Segment[] segments)
    {
        Text = text;
        _fast = fast;
        _segments = segments;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>True when the path reads a request or response body.</summary>
    public bool ReadsBody { get; private init; }

    /// <summary>True when the path names the event's resource (so the rule can be indexed by it).</summary>
    public bool IsResource { get; private init; }

    /// <summary>Parses a path; null with <paramref name="error"/> when it is malformed.</summary>
    public static EventPath? Parse(string text, out string? error)
    {
        error = null;
        var segments = new List<Segment>();
        foreach (var part in text.Split('.'))
        {
            var name = part;
            var index = Segment.NoIndex;
            var open = part.IndexOf('[');
            if (open >= 0)
            {
                if (!part.EndsWith(']'))
                {
                    error = $"'{text}': '[' without ']'.";
                    return null;
                }

                var inside = part[(open + 1)..^1];
                name = part[..open];
                if (inside == "*")
                {
                    index = Segment.AllItems;
                }
                else if (!int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out index))
                {
                    error = $"'{text}': an index is a number or '*', not '{inside}'.";
                    return null;
                }
            }

            if (name.Length == 0)
            {
                error = $"'{text}' has an empty name.";
                return null;
            }

            segments.Add(new Segment(name, index));
        }

        var key = text.ToLowerInvariant();
        var fast = Fast(key);
        var first = segments[0].Name;
        return new EventPath(text, fast, [.. segments])
        {
            ReadsBody = first.Equals("requestObject", StringComparison.OrdinalIgnoreCase) || first.Equals("responseObject", StringComparison.OrdinalIgnoreCase),
            IsResource = key is "resource" or "objectref.resource",
        };
    }

    /// <summary>The values at the path: none when absent, several through arrays; scalars as text (numbers invariant, true/false lower-case).</summary>
    public IEnumerable<string?> Read(AuditEvent ev)
    {
        if (_fast is not null)
        {
            return _fast(ev);
        }

        var values = new List<string?>();
        Walk(Document(ev).RootElement, 0, values);
        return values;
    }

    private void Walk(JsonElement element, int depth, List<string?> values)
    {
        if (depth == _segments.Length)
        {
            Collect(element, values, flattenArrays: true);
            return;
        }

        var segment = _segments[depth];
        if (element.ValueKind != JsonValueKind.Object || !TryProperty(element, segment.Name, out var child))
        {
            return;
        }

        switch (segment.Index)
        {
            case Segment.NoIndex:
                Walk(child, depth + 1, values);
                break;
            case Segment.AllItems when child.ValueKind == JsonValueKind.Array:
                foreach (var item in child.EnumerateArray())
                {
                    Walk(item, depth + 1, values);
                }

                break;
            case >= 0 when child.ValueKind == JsonValueKind.Array && segment.Index < child.GetArrayLength():
                Walk(child[segment.Index], depth + 1, values);
                break;
        }
    }

    private static void Collect(JsonElement element, List<string?> values, bool flattenArrays)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array when flattenArrays:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, values, flattenArrays: false);
                }

                break;
            case JsonValueKind.String:
                values.Add(element.GetString());
                break;
            case JsonValueKind.True:
                values.Add("true");
                break;
            case JsonValueKind.False:
                values.Add("false");
                break;
            case JsonValueKind.Null:
                values.Add(null);
                break;
            default:
                values.Add(element.GetRawText());
                break;
        }
    }

    private static bool TryProperty(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }

    // The event's JSON, parsed once for all the rules that look at this event on this thread.
    private static JsonDocument Document(AuditEvent ev)
    {
        if (!ReferenceEquals(t_cachedEvent, ev) || t_cachedDocument is null)
        {
            t_cachedDocument?.Dispose();
            t_cachedDocument = JsonDocument.Parse(ev.GetUtf8Json());
            t_cachedEvent = ev;
        }

        return t_cachedDocument;
    }

    private static Func<AuditEvent, IEnumerable<string?>>? Fast(string key) => key switch
    {
        "verb" => ev => One(ev.Verb),
        "stage" => ev => One(ev.Stage),
        "level" => ev => One(ev.Level),
        "auditid" => ev => One(ev.AuditId),
        "requesturi" or "uri" => ev => One(ev.RequestUri),
        "useragent" => ev => One(ev.UserAgent),
        "user" or "username" or "user.username" => ev => One(ev.Username),
        "groups" or "user.groups" => ev => ev.User.Groups,
        "sourceips" or "sourceip" => ev => ev.SourceIPs,
        "namespace" or "objectref.namespace" => ev => One(ev.Namespace),
        "resource" or "objectref.resource" => ev => One(ev.Resource),
        "subresource" or "objectref.subresource" => ev => One(ev.Subresource),
        "name" or "objectref.name" => ev => One(ev.Name),
        "apigroup" or "objectref.apigroup" => ev => One(ev.ObjectRef?.ApiGroup),
        "code" or "responsestatus.code" => ev => One(ev.Code?.ToString(CultureInfo.InvariantCulture)),
        "impersonateduser.username" => ev => One(ev.ImpersonatedUser?.Username),
        _ when key.StartsWith("annotations.", StringComparison.Ordinal) => Annotation(key["annotations.".Length..]),
        _ => null,
    };

    private static Func<AuditEvent, IEnumerable<string?>> Annotation(string name) =>
        ev => ev.Annotations.FirstOrDefault(a => a.Key.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } a ? [a.Value] : [];

    private static IEnumerable<string?> One(string? value) => value is null ? [] : [value];

    private readonly record struct Segment(string Name, int Index)
    {
        public const int NoIndex = -1;
        public const int AllItems = -2;
    }
}
