using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>A Pod volume as found in the text.</summary>
internal sealed record VolumeItem(int Index, string Name, string? HostPath, string? Type, YamlMappingNode Node);

/// <summary>A container volume mount as found in the text.</summary>
internal sealed record MountItem(int Index, string Name, string MountPath, bool ReadOnly, YamlMappingNode Node);

/// <summary>Reads volumes and mounts, decides which mount serves a path, and writes new items like their neighbours.</summary>
internal static class ManifestVolumes
{
    private static readonly string[] s_containerLists = ["containers", "initContainers", "ephemeralContainers"];

    public static List<VolumeItem> Volumes(PodManifest m) =>
        m.Volumes?.Children.Select((n, i) => n is YamlMappingNode map
            ? new VolumeItem(i, YamlNodes.Scalar(map, "name") ?? string.Empty, YamlNodes.Scalar(YamlNodes.Get(map, "hostPath") as YamlMappingNode, "path"),
                YamlNodes.Scalar(YamlNodes.Get(map, "hostPath") as YamlMappingNode, "type"), map)
            : null).OfType<VolumeItem>().ToList() ?? [];

    public static List<MountItem> Mounts(PodManifest m) => Mounts(m.Mounts);

    public static List<MountItem> Mounts(YamlSequenceNode? mounts) =>
        mounts?.Children.Select((n, i) => n is YamlMappingNode map
            ? new MountItem(i, YamlNodes.Scalar(map, "name") ?? string.Empty, YamlNodes.Scalar(map, "mountPath") ?? string.Empty,
                YamlNodes.IsTrue(YamlNodes.Scalar(map, "readOnly")), map)
            : null).OfType<MountItem>().ToList() ?? [];

    /// <summary>Every volume name mounted by any container or init container of the Pod.</summary>
    public static List<(YamlMappingNode Container, string Name)> AllMountNames(PodManifest m) =>
        s_containerLists
            .Select(k => YamlNodes.Get(m.Spec, k) as YamlSequenceNode)
            .SelectMany(s => s?.Children.OfType<YamlMappingNode>() ?? [])
            .SelectMany(c => Mounts(YamlNodes.Get(c, "volumeMounts") as YamlSequenceNode).Select(x => (c, x.Name)))
            .ToList();

    public static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    /// <summary>True when <paramref name="mountPath"/> is the path or one of its folders.</summary>
    public static bool Covers(string mountPath, string path)
    {
        var mount = Normalize(mountPath);
        var target = Normalize(path);
        return mount == target || mount == "/" || target.StartsWith(mount + "/", StringComparison.Ordinal);
    }

    /// <summary>The deepest mount that serves <paramref name="path"/>, as the container sees it.</summary>
    public static MountItem? Serving(IEnumerable<MountItem> mounts, string path) =>
        mounts.Where(x => x.MountPath.Length > 0 && Covers(x.MountPath, path)).MaxBy(x => Normalize(x.MountPath).Length);

    public static string Folder(string file)
    {
        var slash = Normalize(file).LastIndexOf('/');
        return slash <= 0 ? "/" : file[..slash];
    }

    /// <summary>How new items of a list of mappings are written: key order, quoting, indentation.</summary>
    internal sealed record ItemStyle(bool Flow, bool NameFirst, ScalarStyle KeyStyle, ScalarStyle ValueStyle, int Column, int Step, string Eol);

    public static ItemStyle StyleOf(string text, YamlSequenceNode seq)
    {
        var first = seq.Children.OfType<YamlMappingNode>().FirstOrDefault();
        var flow = SequenceText.IsFlow(seq);
        var firstKey = first?.Children.Keys.FirstOrDefault() as YamlScalarNode;
        var nameValue = first is null ? null : YamlNodes.Get(first, "name") as YamlScalarNode;
        var step = 2;
        if (first is not null && YamlNodes.Get(first, "hostPath") is YamlMappingNode { Children.Count: > 0 } host
            && YamlNodes.KeyNode(first, "hostPath") is { } hostKey)
        {
            var inner = (YamlScalarNode)host.Children.Keys.First();
            step = flow ? (int)(inner.Start.Column - hostKey.Start.Column) : (int)(inner.Start.Column - hostKey.Start.Column);
        }
        else if (flow && first is not null && firstKey is not null)
        {
            step = (int)(firstKey.Start.Column - first.Start.Column);
        }

        return new ItemStyle(
            flow,
            firstKey?.Value == "name",
            firstKey?.Style ?? ScalarStyle.Plain,
            nameValue?.Style ?? (flow ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain),
            seq.Children.Count > 0 ? SequenceText.ContentColumn(text, seq) : 0,
            Math.Max(step, 1),
            SequenceText.Eol(text));
    }

    public static (string Text, string Canon) RenderVolume(ItemStyle style, string name, string hostPath, string type)
    {
        IReadOnlyList<(string, object)> host = [("path", hostPath), ("type", type)];
        IReadOnlyList<(string, object)> pairs = style.NameFirst ? [("name", name), ("hostPath", host)] : [("hostPath", host), ("name", name)];
        var canon = new YamlMappingNode(
            new YamlScalarNode("hostPath"), new YamlMappingNode(new YamlScalarNode("path"), Str(hostPath), new YamlScalarNode("type"), Str(type)),
            new YamlScalarNode("name"), Str(name));
        return (Render(style, pairs), ManifestSnapshot.Canon(canon));
    }

    public static (string Text, string Canon) RenderMount(ItemStyle style, string name, string mountPath, bool readOnly)
    {
        IReadOnlyList<(string, object)> pairs = style.NameFirst
            ? [("name", name), ("mountPath", mountPath), ("readOnly", readOnly)]
            : [("mountPath", mountPath), ("name", name), ("readOnly", readOnly)];
        var canon = new YamlMappingNode(
            new YamlScalarNode("mountPath"), Str(mountPath), new YamlScalarNode("name"), Str(name),
            new YamlScalarNode("readOnly"), new YamlScalarNode(readOnly ? "true" : "false") { Style = ScalarStyle.Plain });
        return (Render(style, pairs), ManifestSnapshot.Canon(canon));
    }

    private static YamlScalarNode Str(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    private static string Render(ItemStyle style, IReadOnlyList<(string Key, object Value)> pairs) =>
        SequenceText.RenderMapping(pairs, style.Flow, style.Column, style.Step,
            key => ScalarText.Render(key, style.KeyStyle, style.Flow),
            value => value is bool b ? (b ? "true" : "false") : ScalarText.Render((string)value, style.ValueStyle, style.Flow),
            style.Eol);
}
