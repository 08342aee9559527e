using System.Text;
using KubeAudit.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// Keeps a kubeadm configuration file (the <c>ClusterConfiguration</c> document, v1beta3 or v1beta4)
/// in step with the audit settings written to the manifest, so that <c>kubeadm upgrade</c> keeps them:
/// <c>apiServer.extraArgs</c> (a map in v1beta3, a list of name/value in v1beta4) and
/// <c>apiServer.extraVolumes</c>. Like <see cref="ApiServerManifestEditor"/> the text is cut at
/// YamlDotNet's marks, never re-serialised, and the result is parsed again and verified.
/// Nothing is written here: pass the result to <see cref="ManifestWriter.WriteKubeadmConfig"/>.
/// </summary>
public static class KubeadmConfigEditor
{
    /// <summary>The supported ClusterConfiguration apiVersions.</summary>
    public static readonly IReadOnlyList<string> Versions = ["kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4"];

    /// <summary>The extraVolumes names Enable adds and Disable removes.</summary>
    public static readonly IReadOnlyList<string> ManagedVolumes = ["audit-policy", "audit-log", "audit-webhook"];

    private const string ArgsKey = "extraArgs";
    private const string VolumesKey = "extraVolumes";

    /// <summary>The extraArgs and extraVolumes matching what <see cref="ApiServerManifestEditor.Enable"/> writes for <paramref name="options"/>.</summary>
    public static (IReadOnlyList<(string Name, string Value)> Flags, IReadOnlyList<KubeadmVolume> Volumes) Mirror(AuditEnableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var volumes = new List<KubeadmVolume> { new("audit-policy", options.PolicyPath, options.PolicyPath, true, "File") };
        if (options.LogPath != "-")
        {
            var folder = ManifestVolumes.Folder(options.LogPath);
            volumes.Add(new KubeadmVolume("audit-log", folder, folder, false, "DirectoryOrCreate"));
        }

        if (options.WebhookConfigPath is { } webhook)
        {
            volumes.Add(new KubeadmVolume("audit-webhook", webhook, webhook, true, "File"));
        }

        return (options.WantedFlags().ToList(), volumes);
    }

    /// <summary>Enable for the kubeadm configuration file at <paramref name="path"/>, mirroring <paramref name="options"/>.</summary>
    public static ManifestEditResult EnableFile(string path, AuditEnableOptions options)
    {
        var (flags, volumes) = Mirror(options);
        return ManifestFile.TryRead(path, out var text, out var error) ? Enable(text, flags, volumes, options.Force, path) : ManifestEditResult.Failed(string.Empty, path, error!);
    }

    /// <summary>Disable for the kubeadm configuration file at <paramref name="path"/>: every managed audit flag and volume.</summary>
    public static ManifestEditResult DisableFile(string path) =>
        ManifestFile.TryRead(path, out var text, out var error)
            ? Disable(text, [.. AuditFlags.Managed], ManagedVolumes, path)
            : ManifestEditResult.Failed(string.Empty, path, error!);

    /// <summary>
    /// Sets <paramref name="flags"/> in <c>apiServer.extraArgs</c> and <paramref name="volumes"/> in
    /// <c>apiServer.extraVolumes</c>, creating the keys when missing. A different existing value or
    /// volume is an error unless <paramref name="force"/>. A file already in step gives no change.
    /// </summary>
    public static ManifestEditResult Enable(string text, IReadOnlyList<(string Name, string Value)> flags, IReadOnlyList<KubeadmVolume> volumes, bool force, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(volumes);
        var doc = Doc.Parse(text, file, out var parseError);
        if (doc is null)
        {
            return ManifestEditResult.Failed(text, file, parseError!);
        }

        var errors = new List<Diagnostic>();
        var changes = new List<string>();
        var edits = new TextEdits();
        var eol = SequenceText.Eol(text);
        var api = doc.Api;
        YamlMappingNode? apiMap = null;
        if (api is YamlMappingNode { Style: not MappingStyle.Flow } block)
        {
            apiMap = block;
        }
        else if (api is not null && api is not YamlMappingNode { Style: MappingStyle.Flow, Children.Count: 0 })
        {
            return ManifestEditResult.Failed(text, file, Unsupported(file, "apiServer is not a block mapping (flow style or another value); write it in block style first.", api.Start));
        }

        var newArgs = new List<(string Name, string Value)>();
        var argsNode = apiMap is null ? null : YamlNodes.Get(apiMap, ArgsKey);
        if (argsNode is null)
        {
            newArgs.AddRange(flags);
            changes.AddRange(flags.Select(f => $"add extraArgs {f.Name}={f.Value}"));
        }
        else if (doc.V4)
        {
            if (argsNode is not YamlSequenceNode { Style: not SequenceStyle.Flow, Children.Count: > 0 } seq)
            {
                return ManifestEditResult.Failed(text, file, Unsupported(file, "apiServer.extraArgs is not a block list; write it as a block list of name/value items first.", argsNode.Start));
            }

            foreach (var (name, value) in flags)
            {
                var present = seq.Children.OfType<YamlMappingNode>().Where(i => YamlNodes.Scalar(i, "name") == name).ToList();
                if (present.Count == 0)
                {
                    newArgs.Add((name, value));
                    changes.Add($"add extraArgs {name}={value}");
                    continue;
                }

                foreach (var item in present)
                {
                    var current = YamlNodes.Get(item, "value");
                    SetValue(text, edits, errors, changes, file, name, current as YamlScalarNode, current ?? item, value, force);
                }
            }

            var items = newArgs.Select(a => RenderArgItem(a.Name, a.Value, SequenceText.ContentColumn(text, seq), eol)).ToList();
            if (SequenceText.Insert(text, seq, seq.Children.Count, items, edits) is { } why)
            {
                errors.Add(Unsupported(file, "Cannot edit apiServer.extraArgs safely: " + why + ".", seq.Start));
            }

            newArgs.Clear();
        }
        else
        {
            if (argsNode is not YamlMappingNode { Style: not MappingStyle.Flow, Children.Count: > 0 } map)
            {
                return ManifestEditResult.Failed(text, file, Unsupported(file, "apiServer.extraArgs is not a block mapping; write it in block style first.", argsNode.Start));
            }

            var column = (int)map.Children.Keys.First().Start.Column - 1;
            var added = new StringBuilder();
            foreach (var (name, value) in flags)
            {
                if (YamlNodes.KeyNode(map, name) is null)
                {
                    added.Append(' ', column).Append(ScalarText.Render(name, ScalarStyle.Plain, false)).Append(": ").Append(ScalarText.Render(value, ScalarStyle.Plain, false)).Append(eol);
                    changes.Add($"add extraArgs {name}={value}");
                    continue;
                }

                var current = YamlNodes.Get(map, name)!;
                SetValue(text, edits, errors, changes, file, name, current as YamlScalarNode, current, value, force);
            }

            InsertLines(text, LineAfter(text, map), added.ToString(), eol, edits);
        }

        var newVolumes = new List<KubeadmVolume>();
        var volumesNode = apiMap is null ? null : YamlNodes.Get(apiMap, VolumesKey);
        if (volumesNode is null)
        {
            newVolumes.AddRange(volumes);
            changes.AddRange(volumes.Select(v => $"add extraVolumes {v.Name} ({v.HostPath})"));
        }
        else
        {
            if (volumesNode is not YamlSequenceNode { Style: not SequenceStyle.Flow, Children.Count: > 0 } seq)
            {
                return ManifestEditResult.Failed(text, file, Unsupported(file, "apiServer.extraVolumes is not a block list; write it in block style first.", volumesNode.Start));
            }

            var column = SequenceText.ContentColumn(text, seq);
            var toAdd = new List<string>();
            foreach (var volume in volumes)
            {
                var present = seq.Children.OfType<YamlMappingNode>().Where(i => YamlNodes.Scalar(i, "name") == volume.Name).ToList();
                if (present.Count == 0)
                {
                    toAdd.Add(RenderVolumeItem(volume, column, eol));
                    changes.Add($"add extraVolumes {volume.Name} ({volume.HostPath})");
                    continue;
                }

                foreach (var item in present)
                {
                    var current = Describe(item);
                    var wanted = Describe(volume);
                    if (current == wanted)
                    {
                        continue;
                    }

                    if (!force)
                    {
                        errors.Add(At(DiagnosticCodes.AuditFlagConflict, file, item,
                            $"extraVolumes {volume.Name} is already {current}, wanted {wanted}. Use Force to overwrite it."));
                        continue;
                    }

                    if (item.Style == MappingStyle.Flow)
                    {
                        errors.Add(Unsupported(file, $"extraVolumes {volume.Name} is in flow style; write it in block style first.", item.Start));
                        continue;
                    }

                    edits.Replace((int)item.Start.Index, YamlNodes.LastEnd(item, text) - (int)item.Start.Index, RenderVolumeItem(volume, (int)item.Start.Column - 1, eol));
                    changes.Add($"set extraVolumes {volume.Name} to {wanted} (was {current})");
                }
            }

            if (SequenceText.Insert(text, seq, seq.Children.Count, toAdd, edits) is { } why)
            {
                errors.Add(Unsupported(file, "Cannot edit apiServer.extraVolumes safely: " + why + ".", seq.Start));
            }
        }

        if (errors.Count > 0)
        {
            return ManifestEditResult.Failed(text, file, [.. errors]);
        }

        // New keys: at the end of apiServer, or a new apiServer at the end of the ClusterConfiguration.
        if (newArgs.Count > 0 || newVolumes.Count > 0)
        {
            if (apiMap is not null)
            {
                var column = (int)apiMap.Children.Keys.First().Start.Column - 1;
                InsertLines(text, LineAfter(text, apiMap), RenderKeys(doc.V4, newArgs, newVolumes, column, eol), eol, edits);
            }
            else if (api is not null)
            {
                // apiServer: {} becomes a block mapping.
                var key = doc.ApiKey!;
                var colon = text.IndexOf(':', (int)key.End.Index);
                var column = (int)key.Start.Column - 1 + 2;
                var body = RenderKeys(doc.V4, newArgs, newVolumes, column, eol);
                edits.Replace(colon + 1, YamlNodes.LastEnd(api, text) - colon - 1, eol + body[..^eol.Length]);
            }
            else
            {
                var column = (int)doc.Root.Children.Keys.First().Start.Column - 1;
                var body = new string(' ', column) + "apiServer:" + eol + RenderKeys(doc.V4, newArgs, newVolumes, column + 2, eol);
                InsertLines(text, LineAfter(text, doc.Root), body, eol, edits);
            }
        }

        return Finish(doc, edits, changes, "already configured", flags, volumes, absent: false);
    }

    /// <summary>
    /// Removes <paramref name="flagNames"/> from <c>apiServer.extraArgs</c> and the volumes named
    /// <paramref name="volumeNames"/> from <c>apiServer.extraVolumes</c>; keys left empty are removed.
    /// </summary>
    public static ManifestEditResult Disable(string text, IReadOnlyCollection<string> flagNames, IReadOnlyCollection<string> volumeNames, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(flagNames);
        ArgumentNullException.ThrowIfNull(volumeNames);
        var doc = Doc.Parse(text, file, out var parseError);
        if (doc is null)
        {
            return ManifestEditResult.Failed(text, file, parseError!);
        }

        var flagSet = new HashSet<string>(flagNames, StringComparer.Ordinal);
        var volumeSet = new HashSet<string>(volumeNames, StringComparer.Ordinal);
        var changes = new List<string>();
        var edits = new TextEdits();
        if (doc.Api is not YamlMappingNode apiMap || apiMap.Children.Count == 0)
        {
            return Finish(doc, edits, changes, "not configured", [], [], absent: true, flagSet, volumeSet);
        }

        if (apiMap.Style == MappingStyle.Flow)
        {
            return ManifestEditResult.Failed(text, file, Unsupported(file, "apiServer is in flow style; write it in block style first.", apiMap.Start));
        }

        var lines = new List<(int Start, int End)>();
        var emptied = 0;
        foreach (var (key, isArgs) in new[] { (ArgsKey, true), (VolumesKey, false) })
        {
            var node = YamlNodes.Get(apiMap, key);
            if (node is null)
            {
                emptied++;
                continue;
            }

            var remove = new List<(YamlNode Start, YamlNode Last)>();
            var total = 0;
            switch (node)
            {
                case YamlSequenceNode { Style: not SequenceStyle.Flow } seq:
                    total = seq.Children.Count;
                    foreach (var item in seq.Children.OfType<YamlMappingNode>())
                    {
                        var name = YamlNodes.Scalar(item, "name");
                        if (name is not null && (isArgs ? flagSet : volumeSet).Contains(name))
                        {
                            if (SequenceText.BlockPrefix(text, item) is null)
                            {
                                return ManifestEditResult.Failed(text, file, Unsupported(file, $"the {key} item at line {item.Start.Line} does not start its own line.", item.Start));
                            }

                            remove.Add((item, item));
                            changes.Add(isArgs ? $"remove extraArgs {name}={YamlNodes.Scalar(item, "value")}" : $"remove extraVolumes {name} ({YamlNodes.Scalar(item, "hostPath")})");
                        }
                    }

                    break;
                case YamlMappingNode { Style: not MappingStyle.Flow } map when isArgs && !doc.V4:
                    total = map.Children.Count;
                    foreach (var pair in map.Children)
                    {
                        if (pair.Key is YamlScalarNode { Value: { } name } && flagSet.Contains(name))
                        {
                            remove.Add((pair.Key, pair.Value));
                            changes.Add($"remove extraArgs {name}={(pair.Value as YamlScalarNode)?.Value}");
                        }
                    }

                    break;
                default:
                    var mentions = ManifestSnapshot.Canon(node);
                    if ((isArgs ? flagSet : volumeSet).Any(n => mentions.Contains(n, StringComparison.Ordinal)))
                    {
                        return ManifestEditResult.Failed(text, file, Unsupported(file, $"apiServer.{key} is in flow style or has an unexpected shape; edit it by hand.", node.Start));
                    }

                    continue;
            }

            if (remove.Count > 0 && remove.Count == total)
            {
                emptied++;
                lines.Add((SequenceText.LineStart(text, (int)YamlNodes.KeyNode(apiMap, key)!.Start.Index), SequenceText.LineEnd(text, YamlNodes.LastEnd(node, text))));
            }
            else
            {
                lines.AddRange(remove.Select(r => (SequenceText.LineStart(text, (int)r.Start.Start.Index), SequenceText.LineEnd(text, YamlNodes.LastEnd(r.Last, text)))));
            }
        }

        if (lines.Count > 0 && emptied == 2 && apiMap.Children.Count == apiMap.Children.Keys.Count(k => k is YamlScalarNode { Value: ArgsKey or VolumesKey }))
        {
            // Nothing else under apiServer: the key goes too.
            lines.Clear();
            lines.Add((SequenceText.LineStart(text, (int)doc.ApiKey!.Start.Index), SequenceText.LineEnd(text, YamlNodes.LastEnd(apiMap, text))));
        }

        RemoveLines(text, lines, edits);
        return Finish(doc, edits, changes, "not configured", [], [], absent: true, flagSet, volumeSet);
    }

    /// <summary>Null when <paramref name="text"/> is a kubeadm configuration this editor accepts, else why not.</summary>
    internal static string? Check(string text) => Doc.Parse(text, null, out var error) is null ? error!.Message : null;

    private static void SetValue(string text, TextEdits edits, List<Diagnostic> errors, List<string> changes, string? file, string name, YamlScalarNode? current, YamlNode at, string value, bool force)
    {
        if (current?.Value == value)
        {
            return;
        }

        var shown = current?.Value ?? ManifestSnapshot.Canon(at);
        if (!force)
        {
            errors.Add(At(DiagnosticCodes.AuditFlagConflict, file, at, $"extraArgs {name} is already set to '{shown}', wanted '{value}'. Use Force to overwrite it."));
            return;
        }

        if (current is null || current.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            errors.Add(Unsupported(file, $"extraArgs {name} has a value that cannot be replaced in place; set it by hand.", at.Start));
            return;
        }

        var style = current.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? current.Style : ScalarStyle.Plain;
        edits.Replace((int)current.Start.Index, YamlNodes.LastEnd(current, text) - (int)current.Start.Index, ScalarText.Render(value, style, false));
        changes.Add($"set extraArgs {name}={value} (was {shown})");
    }

    private static ManifestEditResult Finish(Doc doc, TextEdits edits, List<string> changes, string noChange,
        IReadOnlyList<(string Name, string Value)> flags, IReadOnlyList<KubeadmVolume> volumes, bool absent,
        IReadOnlySet<string>? flagNames = null, IReadOnlySet<string>? volumeNames = null)
    {
        if (edits.Count == 0)
        {
            return new ManifestEditResult { File = doc.File, OriginalText = doc.Text, NewText = doc.Text, Verified = true, NoChangeReason = noChange };
        }

        var newText = edits.Apply(doc.Text);
        flagNames ??= flags.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        volumeNames ??= volumes.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        if (Verify(doc, newText, flags, volumes, absent, flagNames, volumeNames) is { } mismatch)
        {
            return ManifestEditResult.Failed(doc.Text, doc.File, new Diagnostic(DiagnosticCodes.ManifestVerificationFailed, DiagnosticSeverity.Error,
                "The edited kubeadm configuration does not hold exactly the intended changes (" + mismatch + "); nothing was changed.", doc.File));
        }

        return new ManifestEditResult { File = doc.File, OriginalText = doc.Text, NewText = newText, Changes = changes, Verified = true };
    }

    private static string? Verify(Doc before, string newText, IReadOnlyList<(string Name, string Value)> flags, IReadOnlyList<KubeadmVolume> volumes,
        bool absent, IReadOnlySet<string> flagNames, IReadOnlySet<string> volumeNames)
    {
        var after = Doc.Parse(newText, before.File, out var error);
        if (after is null)
        {
            return "it no longer parses: " + error?.Message;
        }

        if (after.Index != before.Index || after.Stream.Documents.Count != before.Stream.Documents.Count || after.Version != before.Version)
        {
            return "the documents moved";
        }

        for (var i = 0; i < before.Stream.Documents.Count; i++)
        {
            if (i != before.Index && ManifestSnapshot.Canon(before.Stream.Documents[i].RootNode) != ManifestSnapshot.Canon(after.Stream.Documents[i].RootNode))
            {
                return $"document {i + 1} changed";
            }
        }

        if (Rest(before, flagNames, volumeNames) != Rest(after, flagNames, volumeNames))
        {
            return "other settings changed";
        }

        var args = Args(after);
        var vols = Volumes(after);
        if (absent)
        {
            return args.Any(a => flagNames.Contains(a.Name)) || vols.Any(v => volumeNames.Contains(v.Name)) ? "a managed entry is still there" : null;
        }

        foreach (var (name, value) in flags)
        {
            var found = args.Where(a => a.Name == name).ToList();
            if (found.Count == 0 || found.Any(a => a.Value != value))
            {
                return $"extraArgs {name} is not {value}";
            }
        }

        foreach (var volume in volumes)
        {
            var found = vols.Where(v => v.Name == volume.Name).ToList();
            if (found.Count == 0 || found.Any(v => Describe(v.Node) != Describe(volume)))
            {
                return $"extraVolumes {volume.Name} is not as wanted";
            }
        }

        return null;
    }

    // Everything but the managed entries, with keys left empty counted as absent.
    private static string Rest(Doc d, IReadOnlySet<string> flagNames, IReadOnlySet<string> volumeNames)
    {
        var builder = new StringBuilder(ManifestSnapshot.Canon(d.Root, d.ApiKey is null ? null : new HashSet<YamlNode>(ReferenceEqualityComparer.Instance) { d.ApiKey }));
        builder.Append('\u0002');
        if (d.Api is YamlMappingNode api)
        {
            var excluded = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
            foreach (var key in new[] { ArgsKey, VolumesKey })
            {
                if (YamlNodes.KeyNode(api, key) is { } k)
                {
                    excluded.Add(k);
                }
            }

            var other = ManifestSnapshot.Canon(api, excluded);
            var args = string.Concat(Args(d).Where(a => !flagNames.Contains(a.Name)).Select(a => a.Canon));
            var vols = string.Concat(Volumes(d).Where(v => !volumeNames.Contains(v.Name)).Select(v => ManifestSnapshot.Canon(v.Node)));
            var argsOther = YamlNodes.Get(api, ArgsKey) is { } a and not YamlSequenceNode and not YamlMappingNode ? ManifestSnapshot.Canon(a) : string.Empty;
            var volsOther = YamlNodes.Get(api, VolumesKey) is { } v and not YamlSequenceNode ? ManifestSnapshot.Canon(v) : string.Empty;
            if (other != "{}" || args.Length > 0 || vols.Length > 0 || argsOther.Length > 0 || volsOther.Length > 0)
            {
                builder.Append(other).Append('\u0002').Append(args).Append(argsOther).Append('\u0002').Append(vols).Append(volsOther);
            }
        }
        else if (d.Api is { } value)
        {
            builder.Append(ManifestSnapshot.Canon(value));
        }

        return builder.ToString();
    }

    private static List<(string Name, string? Value, string Canon)> Args(Doc d)
    {
        var list = new List<(string, string?, string)>();
        switch (d.Api is YamlMappingNode api ? YamlNodes.Get(api, ArgsKey) : null)
        {
            case YamlSequenceNode seq:
                foreach (var item in seq.Children)
                {
                    var name = item is YamlMappingNode m ? YamlNodes.Scalar(m, "name") : null;
                    list.Add((name ?? "\u0000", item is YamlMappingNode m2 ? YamlNodes.Scalar(m2, "value") : null, ManifestSnapshot.Canon(item)));
                }

                break;
            case YamlMappingNode map:
                foreach (var pair in map.Children.OrderBy(p => ManifestSnapshot.Canon(p.Key), StringComparer.Ordinal))
                {
                    list.Add(((pair.Key as YamlScalarNode)?.Value ?? "\u0000", (pair.Value as YamlScalarNode)?.Value, ManifestSnapshot.Canon(pair.Key) + "=" + ManifestSnapshot.Canon(pair.Value)));
                }

                break;
        }

        return list;
    }

    private static List<(string Name, YamlNode Node)> Volumes(Doc d) =>
        d.Api is YamlMappingNode api && YamlNodes.Get(api, VolumesKey) is YamlSequenceNode seq
            ? seq.Children.Select(i => ((i is YamlMappingNode m ? YamlNodes.Scalar(m, "name") : null) ?? "\u0000", i)).ToList()
            : [];

    private static string Describe(YamlNode item)
    {
        var m = item as YamlMappingNode;
        return $"hostPath {YamlNodes.Scalar(m, "hostPath")}, mountPath {YamlNodes.Scalar(m, "mountPath")}, readOnly {(YamlNodes.IsTrue(YamlNodes.Scalar(m, "readOnly")) ? "true" : "false")}, pathType {YamlNodes.Scalar(m, "pathType")}";
    }

    private static string Describe(KubeadmVolume v) =>
        $"hostPath {v.HostPath}, mountPath {v.MountPath}, readOnly {(v.ReadOnly ? "true" : "false")}, pathType {v.PathType}";

    private static string RenderArgItem(string name, string value, int column, string eol) =>
        "name: " + ScalarText.Render(name, ScalarStyle.Plain, false) + eol + new string(' ', column) + "value: " + ScalarText.Render(value, ScalarStyle.Plain, false);

    private static string RenderVolumeItem(KubeadmVolume v, int column, string eol)
    {
        var pad = eol + new string(' ', column);
        return "name: " + ScalarText.Render(v.Name, ScalarStyle.Plain, false)
            + pad + "hostPath: " + ScalarText.Render(v.HostPath, ScalarStyle.Plain, false)
            + pad + "mountPath: " + ScalarText.Render(v.MountPath, ScalarStyle.Plain, false)
            + pad + "readOnly: " + (v.ReadOnly ? "true" : "false")
            + pad + "pathType: " + ScalarText.Render(v.PathType, ScalarStyle.Plain, false);
    }

    // Whole lines (each ending with eol) for new extraArgs / extraVolumes keys at column; list dashes at the key's column.
    private static string RenderKeys(bool v4, List<(string Name, string Value)> args, List<KubeadmVolume> volumes, int column, string eol)
    {
        var pad = new string(' ', column);
        var b = new StringBuilder();
        if (args.Count > 0)
        {
            b.Append(pad).Append(ArgsKey).Append(':').Append(eol);
            foreach (var (name, value) in args)
            {
                if (v4)
                {
                    b.Append(pad).Append("- ").Append(RenderArgItem(name, value, column + 2, eol)).Append(eol);
                }
                else
                {
                    b.Append(pad).Append("  ").Append(ScalarText.Render(name, ScalarStyle.Plain, false)).Append(": ").Append(ScalarText.Render(value, ScalarStyle.Plain, false)).Append(eol);
                }
            }
        }

        if (volumes.Count > 0)
        {
            b.Append(pad).Append(VolumesKey).Append(':').Append(eol);
            foreach (var volume in volumes)
            {
                b.Append(pad).Append("- ").Append(RenderVolumeItem(volume, column + 2, eol)).Append(eol);
            }
        }

        return b.ToString();
    }

    // Where lines after a block node go: the start of the line after its last scalar.
    private static int LineAfter(string text, YamlNode node) => SequenceText.LineEnd(text, YamlNodes.LastEnd(node, text));

    // Inserts whole lines; at the end of a text without a final newline, the newline goes first (inverse of RemoveLines).
    private static void InsertLines(string text, int at, string lines, string eol, TextEdits edits)
    {
        if (lines.Length == 0)
        {
            return;
        }

        edits.Insert(at, at == text.Length && !text.EndsWith('\n') && text.Length > 0 ? eol + lines[..^eol.Length] : lines);
    }

    private static void RemoveLines(string text, List<(int Start, int End)> ranges, TextEdits edits)
    {
        var merged = new List<(int Start, int End)>();
        foreach (var (start, end) in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(end, merged[^1].End));
            }
            else
            {
                merged.Add((start, end));
            }
        }

        foreach (var (start, end) in merged)
        {
            var s = start;
            if (end == text.Length && !text.EndsWith('\n') && s > 0)
            {
                s -= SequenceText.Eol(text).Length;
            }

            edits.Delete(s, end);
        }
    }

    private static Diagnostic At(string code, string? file, YamlNode node, string message) =>
        new(code, DiagnosticSeverity.Error, message, file, node.Start.Line, node.Start.Column);

    private static Diagnostic Unsupported(string? file, string message, Mark? at) =>
        new(DiagnosticCodes.UnsupportedManifestLayout, DiagnosticSeverity.Error, message, file, at?.Line ?? 0, at?.Column ?? 0);

    /// <summary>The file parsed: its documents and the single ClusterConfiguration.</summary>
    private sealed class Doc
    {
        public required string Text { get; init; }

        public string? File { get; init; }

        public required YamlStream Stream { get; init; }

        public int Index { get; init; }

        public required YamlMappingNode Root { get; init; }

        public required string Version { get; init; }

        public bool V4 => Version.EndsWith("v1beta4", StringComparison.Ordinal);

        public YamlScalarNode? ApiKey => YamlNodes.KeyNode(Root, "apiServer");

        public YamlNode? Api => YamlNodes.Get(Root, "apiServer");

        public static Doc? Parse(string text, string? file, out Diagnostic? error)
        {
            error = null;
            if (!YamlText.TryLoad(text, out var stream, out var yamlError, out var errorAt))
            {
                error = new Diagnostic(DiagnosticCodes.InvalidYaml, DiagnosticSeverity.Error, "Not valid YAML: " + yamlError, file, errorAt.Line, errorAt.Column);
                return null;
            }

            var found = Enumerable.Range(0, stream.Documents.Count)
                .Where(i => stream.Documents[i].RootNode is YamlMappingNode m && YamlNodes.Scalar(m, "kind") == "ClusterConfiguration").ToList();
            if (found.Count != 1)
            {
                error = new Diagnostic(DiagnosticCodes.NotAKubeadmConfig, DiagnosticSeverity.Error, found.Count == 0
                    ? "The file holds no kubeadm ClusterConfiguration document."
                    : $"The file holds {found.Count} ClusterConfiguration documents; keep exactly one.", file);
                return null;
            }

            var root = (YamlMappingNode)stream.Documents[found[0]].RootNode;
            var version = YamlNodes.Scalar(root, "apiVersion") ?? string.Empty;
            if (!Versions.Contains(version))
            {
                error = new Diagnostic(DiagnosticCodes.NotAKubeadmConfig, DiagnosticSeverity.Error,
                    $"The ClusterConfiguration has apiVersion '{version}'; only {string.Join(" and ", Versions)} are supported.", file, root.Start.Line, root.Start.Column);
                return null;
            }

            if (root.Style == MappingStyle.Flow)
            {
                error = Unsupported(file, "The ClusterConfiguration is in flow (JSON) style; only block YAML is edited.", root.Start);
                return null;
            }

            return new Doc { Text = text, File = file, Stream = stream, Index = found[0], Root = root, Version = version };
        }
    }
}
