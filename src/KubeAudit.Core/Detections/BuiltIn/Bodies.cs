using System.Text.Json;

namespace KubeAudit.Core.Detections.BuiltIn;

/// <summary>Access to the request body for the few rules that read one; parsed only for their candidate events.</summary>
internal static class Bodies
{
    /// <summary>
    /// The request body (the response body when only that was logged), or null at level Metadata. Parsed once per
    /// event and kept by the event's <see cref="RawJson"/>: the pod rules all read the same Pod.
    /// </summary>
    public static JsonElement? Open(AuditEvent ev)
    {
        var raw = ev.RequestObject ?? ev.ResponseObject;
        if (raw is null || raw.Length == 0)
        {
            return null;
        }

        try
        {
            return raw.Element;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The property <paramref name="name"/> of an object, if present.</summary>
    public static bool TryGet(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The items of an array property; nothing when it is absent or not an array.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        TryGet(element, name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    /// <summary>True when <paramref name="name"/> is the JSON literal true.</summary>
    public static bool IsTrue(JsonElement element, string name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The string property <paramref name="name"/>, or null.</summary>
    public static string? String(JsonElement element, string name) =>
        TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
