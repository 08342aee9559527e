using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>One <c>--name[=value]</c> item of a command or args list.</summary>
/// <param name="Index">0-based position in the list.</param>
/// <param name="Name">The name without dashes.</param>
/// <param name="Value">The value; null for a bare <c>--flag</c>.</param>
/// <param name="Node">The list item.</param>
/// <param name="SeparateValue">True when the value is the next list item (<c>--flag</c>, <c>value</c>), which pflag also accepts.</param>
internal sealed record FlagItem(int Index, string Name, string? Value, YamlScalarNode Node, bool SeparateValue)
{
    public static List<FlagItem> Parse(YamlSequenceNode? list)
    {
        var flags = new List<FlagItem>();
        if (list is null)
        {
            return flags;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is not YamlScalarNode { Value: { } text } node || !text.StartsWith("--", StringComparison.Ordinal) || text.Length == 2)
            {
                continue;
            }

            var eq = text.IndexOf('=');
            if (eq >= 0)
            {
                flags.Add(new FlagItem(i, text[2..eq], text[(eq + 1)..], node, false));
                continue;
            }

            var name = text[2..];
            // Only audit flags have known types: a non-boolean one takes the next item as its value.
            if (AuditFlags.TakesValue(name) && i + 1 < list.Children.Count
                && list.Children[i + 1] is YamlScalarNode { Value: { } next } && !next.StartsWith('-'))
            {
                flags.Add(new FlagItem(i, name, next, node, true));
                i++;
                continue;
            }

            flags.Add(new FlagItem(i, name, null, node, false));
        }

        return flags;
    }

    /// <summary>The item text for a flag, as kubeadm writes it.</summary>
    public static string Render(string name, string? value) => value is null ? "--" + name : $"--{name}={value}";
}
