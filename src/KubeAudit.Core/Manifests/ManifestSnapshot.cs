using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// What a manifest means, for comparing before and after an edit: the flag list, the volumes and
/// mounts (each item in a canonical form that ignores quoting and key order) and everything else.
/// </summary>
internal sealed partial record ManifestSnapshot(IReadOnlyList<string> Flags, IReadOnlyList<string> Volumes, IReadOnlyList<string> Mounts, string Rest)
{
    public static ManifestSnapshot Of(PodManifest m)
    {
        var excluded = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        // The lists themselves are compared item by item; their keys may appear or disappear.
        var flagKey = m.FlagList is null ? null : YamlNodes.KeyNode(m.Container, m.FlagKey);
        var volumesKey = YamlNodes.KeyNode(m.Spec, "volumes");
        var mountsKey = YamlNodes.KeyNode(m.Container, "volumeMounts");
        foreach (var key in new[] { flagKey, volumesKey, mountsKey })
        {
            if (key is not null)
            {
                excluded.Add(key);
            }
        }

        return new ManifestSnapshot(
            m.FlagList?.Children.Select(c => Canon(c, excluded)).ToList() ?? [],
            m.Volumes?.Children.Select(c => Canon(c, excluded)).ToList() ?? [],
            m.Mounts?.Children.Select(c => Canon(c, excluded)).ToList() ?? [],
            Canon(m.Root, excluded));
    }

    /// <summary>A typed, key-sorted rendering: <c>'a'</c> and <c>a</c> are equal, <c>true</c> and <c>'true'</c> are not.</summary>
    public static string Canon(YamlNode node, IReadOnlySet<YamlNode>? excludedKeys = null)
    {
        var builder = new StringBuilder();
        Write(builder, node, excludedKeys);
        return builder.ToString();
    }

    private static void Write(StringBuilder b, YamlNode node, IReadOnlySet<YamlNode>? excluded)
    {
        switch (node)
        {
            case YamlScalarNode s:
                var plain = s.Style is ScalarStyle.Plain or ScalarStyle.Any;
                b.Append(plain && Typed().IsMatch(s.Value ?? string.Empty) ? "t:" : "s:").Append(s.Value).Append('\u0001');
                break;
            case YamlSequenceNode seq:
                b.Append('[');
                foreach (var c in seq.Children)
                {
                    Write(b, c, excluded);
                }

                b.Append(']');
                break;
            case YamlMappingNode map:
                b.Append('{');
                foreach (var pair in map.Children.Where(p => excluded?.Contains(p.Key) != true).OrderBy(p => Canon(p.Key), StringComparer.Ordinal))
                {
                    Write(b, pair.Key, excluded);
                    b.Append('=');
                    Write(b, pair.Value, excluded);
                }

                b.Append('}');
                break;
            default:
                b.Append('?');
                break;
        }
    }

    [GeneratedRegex(@"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9][0-9_.eE+-]*|0x[0-9a-fA-F]+)?$")]
    private static partial Regex Typed();
}
