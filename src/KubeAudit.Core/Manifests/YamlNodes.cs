using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>Small lookups over YamlDotNet's representation model.</summary>
internal static class YamlNodes
{
    public static YamlNode? Get(YamlMappingNode? map, string key)
    {
        if (map is null)
        {
            return null;
        }

        foreach (var pair in map.Children)
        {
            if (pair.Key is YamlScalarNode { Value: { } k } && k == key)
            {
                return pair.Value;
            }
        }

        return null;
    }

    public static string? Scalar(YamlMappingNode? map, string key) => (Get(map, key) as YamlScalarNode)?.Value;

    public static YamlScalarNode? KeyNode(YamlMappingNode map, string key) =>
        map.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == key);

    /// <summary>
    /// Where a node's text really ends. Block collections end at the next token, which may be lines
    /// further on; the last scalar (or flow collection) inside ends exactly.
    /// </summary>
    public static int LastEnd(YamlNode node, string text) => node switch
    {
        YamlScalarNode s => (int)s.End.Index,
        YamlSequenceNode { Style: YamlDotNet.Core.Events.SequenceStyle.Flow } f => Closer(text, f.Children.Count == 0 ? (int)f.Start.Index + 1 : f.Children.Max(c => LastEnd(c, text))),
        YamlMappingNode { Style: YamlDotNet.Core.Events.MappingStyle.Flow } f => Closer(text, f.Children.Count == 0 ? (int)f.Start.Index + 1 : f.Children.Max(p => LastEnd(p.Value, text))),
        YamlSequenceNode seq => seq.Children.Count == 0 ? (int)seq.Start.Index : seq.Children.Max(c => LastEnd(c, text)),
        YamlMappingNode map => map.Children.Count == 0 ? (int)map.Start.Index : map.Children.Max(p => Math.Max(LastEnd(p.Key, text), LastEnd(p.Value, text))),
        _ => (int)node.End.Index,
    };

    // YamlDotNet's end mark of a flow collection is not after its bracket: find the bracket after the last item.
    private static int Closer(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            switch (text[i])
            {
                case ']' or '}':
                    return i + 1;
                case '#':
                    i = text.IndexOf('\n', i) is var eol and >= 0 ? eol : text.Length;
                    break;
            }
        }

        return text.Length;
    }

    public static bool IsTrue(string? value) => value is "true" or "True" or "TRUE";
}
