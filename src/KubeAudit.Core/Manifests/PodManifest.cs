using KubeAudit.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// A kube-apiserver static Pod manifest parsed with positions: the API-server container, the list
/// that holds its flags, its volume mounts and the Pod's volumes. Never re-serialised; editors cut
/// the original text at these nodes' marks.
/// </summary>
internal sealed class PodManifest
{
    private PodManifest(string text, string? file, YamlMappingNode root, YamlMappingNode spec, YamlSequenceNode containers, int containerIndex)
    {
        Text = text;
        File = file;
        Root = root;
        Spec = spec;
        Containers = containers;
        ContainerIndex = containerIndex;
        Container = (YamlMappingNode)containers.Children[containerIndex];
        Command = YamlNodes.Get(Container, "command") as YamlSequenceNode;
        Args = YamlNodes.Get(Container, "args") as YamlSequenceNode;
        // RKE2/kops keep the flags in args (command is just the binary or a runner); kubeadm in command.
        FlagKey = Args is not null && Args.Children.OfType<YamlScalarNode>().Any(s => s.Value?.StartsWith("--", StringComparison.Ordinal) == true)
            ? "args" : "command";
        FlagList = FlagKey == "args" ? Args : Command;
        Flags = FlagItem.Parse(FlagList);
        Volumes = YamlNodes.Get(Spec, "volumes") as YamlSequenceNode;
        Mounts = YamlNodes.Get(Container, "volumeMounts") as YamlSequenceNode;
    }

    public string Text { get; }

    public string? File { get; }

    public YamlMappingNode Root { get; }

    public YamlMappingNode Spec { get; }

    public YamlSequenceNode Containers { get; }

    public int ContainerIndex { get; }

    public YamlMappingNode Container { get; }

    public YamlSequenceNode? Command { get; }

    public YamlSequenceNode? Args { get; }

    /// <summary><c>command</c> or <c>args</c>.</summary>
    public string FlagKey { get; }

    public YamlSequenceNode? FlagList { get; }

    public IReadOnlyList<FlagItem> Flags { get; }

    public YamlSequenceNode? Volumes { get; }

    public YamlSequenceNode? Mounts { get; }

    public string? ContainerName => YamlNodes.Scalar(Container, "name");

    /// <summary>Parses a manifest; returns null and an error when it is not YAML or not an API-server Pod.</summary>
    public static PodManifest? Parse(string text, string? file, out Diagnostic? error)
    {
        error = null;
        if (!YamlText.TryLoad(text, out var stream, out var yamlError, out var errorAt))
        {
            error = new Diagnostic(DiagnosticCodes.InvalidYaml, DiagnosticSeverity.Error,
                "The manifest is not valid YAML or JSON: " + yamlError, file, errorAt.Line, errorAt.Column);
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            error = NotApiServer(file, "The manifest must hold exactly one YAML document, a Pod.");
            return null;
        }

        if (YamlNodes.Scalar(root, "kind") != "Pod")
        {
            error = NotApiServer(file, $"The manifest is a {YamlNodes.Scalar(root, "kind") ?? "document without kind"}, not a Pod.", root.Start);
            return null;
        }

        if (YamlNodes.Get(root, "spec") is not YamlMappingNode spec || YamlNodes.Get(spec, "containers") is not YamlSequenceNode containers)
        {
            error = NotApiServer(file, "The Pod has no spec.containers list.", root.Start);
            return null;
        }

        var index = PickContainer(containers, file, out error);
        return index < 0 ? null : new PodManifest(text, file, root, spec, containers, index);
    }

    // The container named kube-apiserver, else the one whose command (or, behind a runner, args)
    // starts the kube-apiserver binary. Anything else is refused rather than guessed.
    private static int PickContainer(YamlSequenceNode containers, string? file, out Diagnostic? error)
    {
        error = null;
        var maps = containers.Children.Select(c => c as YamlMappingNode).ToList();
        var named = Enumerable.Range(0, maps.Count).Where(i => YamlNodes.Scalar(maps[i], "name") == "kube-apiserver").ToList();
        if (named.Count == 1)
        {
            return named[0];
        }

        var running = Enumerable.Range(0, maps.Count).Where(i => RunsApiServer(maps[i])).ToList();
        if (running.Count == 1)
        {
            return running[0];
        }

        if (running.Count == 0 && named.Count == 0)
        {
            error = NotApiServer(file, "No container of the Pod is kube-apiserver (by name or command).", containers.Start);
        }
        else
        {
            error = new Diagnostic(DiagnosticCodes.AmbiguousContainer, DiagnosticSeverity.Error,
                $"The Pod has {maps.Count} containers and {Math.Max(named.Count, running.Count)} of them look like kube-apiserver; refusing to guess which to edit.",
                file, containers.Start.Line, containers.Start.Column);
        }

        return -1;
    }

    private static bool RunsApiServer(YamlMappingNode? container)
    {
        static bool IsBinary(YamlNode? n) => n is YamlScalarNode { Value: { } v } && (v == "kube-apiserver" || v.EndsWith("/kube-apiserver", StringComparison.Ordinal));
        var command = YamlNodes.Get(container, "command") as YamlSequenceNode;
        var args = YamlNodes.Get(container, "args") as YamlSequenceNode;
        return (command is { Children.Count: > 0 } && IsBinary(command.Children[0]))
            || (args is not null && args.Children.Any(IsBinary));
    }

    private static Diagnostic NotApiServer(string? file, string message, Mark? at = null) =>
        new(DiagnosticCodes.NotAnApiServerPod, DiagnosticSeverity.Error, message + " Only a kube-apiserver static Pod manifest can be read or edited.",
            file, at?.Line ?? 0, at?.Column ?? 0);
}
