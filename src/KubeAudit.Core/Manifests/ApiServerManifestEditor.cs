using System.Text.RegularExpressions;
using KubeAudit.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// Computes the edits that turn auditing on or off in a kube-apiserver static Pod manifest. The text
/// is cut at YamlDotNet's marks, never re-serialised, so comments, order, indentation and quoting
/// stay as they were; the result is parsed again and must hold exactly the intended changes.
/// Nothing is written here: pass the result to <see cref="ManifestWriter"/>.
/// </summary>
public static partial class ApiServerManifestEditor
{
    /// <summary>Enable for the manifest file at <paramref name="path"/>.</summary>
    public static ManifestEditResult EnableFile(string path, AuditEnableOptions options) =>
        ManifestFile.TryRead(path, out var text, out var error) ? Enable(text, options, path) : ManifestEditResult.Failed(string.Empty, path, error!);

    /// <summary>Disable for the manifest file at <paramref name="path"/>.</summary>
    public static ManifestEditResult DisableFile(string path) =>
        ManifestFile.TryRead(path, out var text, out var error) ? Disable(text, path) : ManifestEditResult.Failed(string.Empty, path, error!);

    /// <summary>
    /// Adds or updates the <c>--audit-*</c> flags and the hostPath volumes and mounts they need
    /// (policy file read-only, log folder read-write). A differing existing value is an error unless
    /// <see cref="AuditEnableOptions.Force"/>. A manifest already configured gives no change.
    /// </summary>
    public static ManifestEditResult Enable(string text, AuditEnableOptions options, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        var m = PodManifest.Parse(text, file, out var parseError);
        if (m is null)
        {
            return ManifestEditResult.Failed(text, file, parseError!);
        }

        var errors = CheckOptions(options, file);
        if (m.FlagList is null)
        {
            errors.Add(Unsupported(file, "The API-server container has neither command nor args.", m.Container.Start));
        }

        if (errors.Count == 0 && options.SetsWebhook)
        {
            errors.AddRange(CheckWebhook(m, options));
        }

        if (errors.Count > 0)
        {
            return ManifestEditResult.Failed(text, file, [.. errors]);
        }

        var changes = new List<string>();
        var flags = PlanFlags(m, options, errors, changes);
        var (volumes, mounts) = PlanMounts(m, options, errors, changes);
        return Finish(m, flags, volumes, mounts, errors, changes, "already configured");
    }

    /// <summary>
    /// Removes the flags Enable manages and the volumes and mounts it adds (named audit-policy,
    /// audit-log, audit-webhook, optionally with a -N suffix, and serving the removed flags' paths).
    /// </summary>
    public static ManifestEditResult Disable(string text, string? file = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = PodManifest.Parse(text, file, out var parseError);
        if (m is null)
        {
            return ManifestEditResult.Failed(text, file, parseError!);
        }

        var errors = new List<Diagnostic>();
        var changes = new List<string>();
        var flags = new ListPlan(m.FlagList);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flag in m.Flags.Where(f => AuditFlags.Managed.Contains(f.Name)))
        {
            flags.Remove(flag.Index);
            if (flag.SeparateValue)
            {
                flags.Remove(flag.Index + 1);
            }

            changes.Add("remove " + FlagItem.Render(flag.Name, flag.Value));
            if (flag.Value is { Length: > 0 } value && AuditFlags.PathFlags.Contains(flag.Name) && value != "-")
            {
                paths.Add(ManifestVolumes.Normalize(flag.Name == AuditFlags.LogPath ? ManifestVolumes.Folder(value) : value));
            }
        }

        var mounts = new ListPlan(m.Mounts);
        var volumes = new ListPlan(m.Volumes);
        var allMounts = ManifestVolumes.AllMountNames(m);
        foreach (var mount in ManifestVolumes.Mounts(m).Where(x => OurName().IsMatch(x.Name) && paths.Contains(ManifestVolumes.Normalize(x.MountPath))))
        {
            mounts.Remove(mount.Index);
            changes.Add($"remove volumeMount {mount.Name} ({mount.MountPath})");
            var usedElsewhere = allMounts.Any(u => u.Name == mount.Name && !(ReferenceEquals(u.Container, m.Container)));
            foreach (var volume in ManifestVolumes.Volumes(m).Where(v => v.Name == mount.Name && !usedElsewhere
                && v.HostPath is { } host && ManifestVolumes.Normalize(host) == ManifestVolumes.Normalize(mount.MountPath)))
            {
                volumes.Remove(volume.Index);
                changes.Add($"remove volume {volume.Name} ({volume.HostPath})");
            }
        }

        return Finish(m, flags, volumes, mounts, errors, changes, "not configured");
    }

    private static ListPlan PlanFlags(PodManifest m, AuditEnableOptions options, List<Diagnostic> errors, List<string> changes)
    {
        var plan = new ListPlan(m.FlagList);
        var list = m.FlagList!;
        var flow = SequenceText.IsFlow(list);
        var style = (m.Flags.Count > 0 ? m.Flags[0].Node.Style : (ScalarStyle?)null) ?? (list.Children.Count > 0 ? list.Children[0] as YamlScalarNode : null)?.Style ?? ScalarStyle.Plain;
        var toAdd = new List<string>();
        foreach (var (name, value) in options.WantedFlags())
        {
            var present = m.Flags.Where(f => f.Name == name).ToList();
            if (present.Count == 0)
            {
                toAdd.Add(FlagItem.Render(name, value));
                continue;
            }

            var flag = present[^1];
            if (present.Count > 1)
            {
                errors.Add(At(DiagnosticCodes.DuplicateFlag, m.File, flag.Node,
                    $"--{name} is given {present.Count} times (the last one wins); remove the duplicates before enabling."));
            }
            else if (flag.SeparateValue)
            {
                errors.Add(At(DiagnosticCodes.UnsupportedManifestLayout, m.File, flag.Node,
                    $"--{name} has its value in the next list item; write it as --{name}=value first."));
            }
            else if (!AuditFlags.SameValue(name, flag.Value, value))
            {
                if (!options.Force)
                {
                    errors.Add(At(DiagnosticCodes.AuditFlagConflict, m.File, flag.Node,
                        $"--{name} is already set to '{flag.Value}', wanted '{value}'. Use Force to overwrite it."));
                    continue;
                }

                plan.Replace(flag.Index, ScalarText.Render(FlagItem.Render(name, value), flag.Node.Style, flow), StrCanon(FlagItem.Render(name, value)));
                changes.Add($"set --{name}={value} (was {flag.Value})");
            }
        }

        // New flags in kubeadm order among themselves, then each at its sorted place (or the end).
        toAdd.Sort(FlagOrder.ByName);
        foreach (var item in toAdd)
        {
            plan.Insert(FlagOrder.FlagPosition(list, item), ScalarText.Render(item, style, flow), StrCanon(item));
            changes.Add("add " + item);
        }

        return plan;
    }

    private static (ListPlan Volumes, ListPlan Mounts) PlanMounts(PodManifest m, AuditEnableOptions options, List<Diagnostic> errors, List<string> changes)
    {
        var volumesPlan = new ListPlan(m.Volumes);
        var mountsPlan = new ListPlan(m.Mounts);
        var volumes = ManifestVolumes.Volumes(m);
        var mounts = ManifestVolumes.Mounts(m);
        var taken = new HashSet<string>(volumes.Select(v => v.Name).Concat(mounts.Select(x => x.Name)), StringComparer.Ordinal);

        var needs = new List<(string Flag, string Path, string Type, bool ReadOnly, string Name)> { (AuditFlags.PolicyFile, options.PolicyPath, "File", true, "audit-policy") };
        if (options.LogPath != "-")
        {
            needs.Add((AuditFlags.LogPath, ManifestVolumes.Folder(options.LogPath), "DirectoryOrCreate", false, "audit-log"));
            // The log file itself mounted: lumberjack renames it inside its folder, which a file mount cannot do.
            foreach (var fileMount in mounts.Where(x => ManifestVolumes.Normalize(x.MountPath) == ManifestVolumes.Normalize(options.LogPath)).ToList())
            {
                if (!options.Force)
                {
                    errors.Add(At(DiagnosticCodes.AuditLogFileMounted, m.File, fileMount.Node,
                        $"volumeMount {fileMount.Name} mounts the audit log file {fileMount.MountPath} itself; log rotation needs its folder. Use Force to replace it with a folder mount."));
                    continue;
                }

                mountsPlan.Remove(fileMount.Index);
                mounts.Remove(fileMount);
                changes.Add($"remove volumeMount {fileMount.Name} ({fileMount.MountPath}): the log file mount breaks rotation");
                var users = ManifestVolumes.AllMountNames(m).Count(u => u.Name == fileMount.Name);
                foreach (var volume in volumes.Where(v => v.Name == fileMount.Name && users == 1).ToList())
                {
                    volumesPlan.Remove(volume.Index);
                    volumes.Remove(volume);
                    changes.Add($"remove volume {volume.Name} ({volume.HostPath})");
                }
            }
        }

        if (options.WebhookConfigPath is { } webhook)
        {
            needs.Add((AuditFlags.WebhookConfigFile, webhook, "File", true, "audit-webhook"));
        }

        var newVolumes = new List<(string Name, string Path, string Type)>();
        var newMounts = new List<(string Name, string Path, bool ReadOnly)>();
        foreach (var need in needs)
        {
            if (ManifestVolumes.Serving(mounts, need.Path) is not null || newMounts.Any(x => ManifestVolumes.Covers(x.Path, need.Path)))
            {
                continue;
            }

            // Reuse a volume that already serves this host path; otherwise a fresh, non-colliding name.
            var reuse = volumes.FirstOrDefault(v => v.HostPath is { } h && ManifestVolumes.Normalize(h) == ManifestVolumes.Normalize(need.Path));
            var name = reuse?.Name ?? Unique(need.Name, taken);
            taken.Add(name);
            if (reuse is null)
            {
                newVolumes.Add((name, need.Path, need.Type));
            }

            newMounts.Add((name, need.Path, need.ReadOnly));
        }

        if ((newVolumes.Count > 0 && m.Volumes is not { Children.Count: > 0 } && m.Volumes is not { Style: YamlDotNet.Core.Events.SequenceStyle.Flow })
            || (newMounts.Count > 0 && m.Mounts is not { Children.Count: > 0 } && m.Mounts is not { Style: YamlDotNet.Core.Events.SequenceStyle.Flow }))
        {
            errors.Add(Unsupported(m.File, "The Pod has no volumes or the container no volumeMounts list to add to; add the audit volumes by hand.", m.Container.Start));
            return (volumesPlan, mountsPlan);
        }

        if (newVolumes.Count > 0)
        {
            var style = ManifestVolumes.StyleOf(m.Text, m.Volumes!);
            var names = volumes.Select(v => v.Name).ToList();
            foreach (var (name, path, type) in newVolumes.OrderBy(v => v.Name, StringComparer.Ordinal))
            {
                var (itemText, canon) = ManifestVolumes.RenderVolume(style, name, path, type);
                volumesPlan.Insert(FlagOrder.NamePosition(names, name), itemText, canon);
                changes.Add($"add volume {name} (hostPath {path}, type {type})");
            }
        }

        if (newMounts.Count > 0)
        {
            var style = ManifestVolumes.StyleOf(m.Text, m.Mounts!);
            var names = ManifestVolumes.Mounts(m).Select(x => x.Name).ToList();
            foreach (var (name, path, readOnly) in newMounts.OrderBy(v => v.Name, StringComparer.Ordinal))
            {
                var (itemText, canon) = ManifestVolumes.RenderMount(style, name, path, readOnly);
                mountsPlan.Insert(FlagOrder.NamePosition(names, name), itemText, canon);
                changes.Add($"add volumeMount {name} at {path}{(readOnly ? " (read-only)" : string.Empty)}");
            }
        }

        return (volumesPlan, mountsPlan);
    }

    private static ManifestEditResult Finish(PodManifest m, ListPlan flags, ListPlan volumes, ListPlan mounts, List<Diagnostic> errors, List<string> changes, string noChange)
    {
        if (errors.Count > 0)
        {
            return ManifestEditResult.Failed(m.Text, m.File, [.. errors]);
        }

        if (flags.IsEmpty && volumes.IsEmpty && mounts.IsEmpty)
        {
            return new ManifestEditResult { File = m.File, OriginalText = m.Text, NewText = m.Text, Verified = true, NoChangeReason = noChange };
        }

        var edits = new TextEdits();
        foreach (var plan in new[] { flags, volumes, mounts })
        {
            if (plan.AddEdits(m.Text, edits) is { } why)
            {
                return ManifestEditResult.Failed(m.Text, m.File, Unsupported(m.File, "Cannot edit the manifest safely: " + why + ".", plan.Sequence?.Start));
            }
        }

        var newText = edits.Apply(m.Text);
        if (ManifestVerifier.Verify(m, newText, flags, volumes, mounts) is { } mismatch)
        {
            return ManifestEditResult.Failed(m.Text, m.File, new Diagnostic(DiagnosticCodes.ManifestVerificationFailed, DiagnosticSeverity.Error,
                "The edited manifest does not hold exactly the intended changes (" + mismatch + "); nothing was changed.", m.File));
        }

        return new ManifestEditResult { File = m.File, OriginalText = m.Text, NewText = newText, Changes = changes, Verified = true };
    }

    private static List<Diagnostic> CheckOptions(AuditEnableOptions o, string? file)
    {
        var errors = new List<Diagnostic>();
        void Bad(string message) => errors.Add(new Diagnostic(DiagnosticCodes.InvalidAuditFlag, DiagnosticSeverity.Error, message, file));
        foreach (var (what, path) in new[] { ("policy path", o.PolicyPath), ("log path", o.LogPath), ("webhook config path", o.WebhookConfigPath) })
        {
            if (path is not null && path != "-" && (!path.StartsWith('/') || path.EndsWith('/') || path.Any(char.IsControl)))
            {
                Bad($"The {what} must be an absolute file path, not '{path}'.");
            }
        }

        if (o.PolicyPath == "-")
        {
            Bad("The policy path cannot be '-'.");
        }

        foreach (var (flag, value) in new[] { (AuditFlags.LogMaxAge, o.MaxAge), (AuditFlags.LogMaxBackup, o.MaxBackup), (AuditFlags.LogMaxSize, o.MaxSize) })
        {
            if (value < 0)
            {
                Bad($"--{flag} {value} can't be a negative number");
            }
        }

        if (o.Format is not null and not "json" and not "legacy")
        {
            Bad($"invalid audit log format {o.Format}, allowed formats are \"legacy,json\"");
        }

        return errors;
    }

    // The webhook flags as the manifest will hold them, checked as kube-apiserver checks them at start-up (spec 5.2).
    private static List<Diagnostic> CheckWebhook(PodManifest m, AuditEnableOptions options)
    {
        var last = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var flag in m.Flags)
        {
            last[flag.Name] = flag.Value;
        }

        foreach (var (name, value) in options.WantedFlags())
        {
            last[name] = value;
        }

        Diagnostic Bad(string message) => new(DiagnosticCodes.InvalidAuditFlag, DiagnosticSeverity.Error, message, m.File);
        if (!last.TryGetValue(AuditFlags.WebhookConfigFile, out var config) || string.IsNullOrEmpty(config))
        {
            return [Bad("The webhook mode and batch flags act only with --audit-webhook-config-file, which the manifest does not set; give the webhook configuration path too.")];
        }

        return AuditFlagValidator.Validate(last)
            .Where(e => e.Flag.StartsWith("audit-webhook-", StringComparison.Ordinal))
            .Select(e => Bad(e.Message))
            .ToList();
    }

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var n = 2; taken.Contains(candidate); n++)
        {
            candidate = $"{name}-{n}";
        }

        return candidate;
    }

    private static string StrCanon(string value) => ManifestSnapshot.Canon(new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted });

    private static Diagnostic At(string code, string? file, YamlNode node, string message) =>
        new(code, DiagnosticSeverity.Error, message, file, node.Start.Line, node.Start.Column);

    private static Diagnostic Unsupported(string? file, string message, Mark? at) =>
        new(DiagnosticCodes.UnsupportedManifestLayout, DiagnosticSeverity.Error, message, file, at?.Line ?? 0, at?.Column ?? 0);

    [GeneratedRegex(@"^audit-(policy|log|webhook)(-[0-9]+)?$")]
    private static partial Regex OurName();
}
