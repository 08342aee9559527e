using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// Where a new item goes: at its sorted place when the existing items are sorted (kubeadm sorts
/// flags by name then value, volumes and mounts by name; kops sorts whole strings), else at the end.
/// </summary>
internal static class FlagOrder
{
    public static int FlagPosition(YamlSequenceNode list, string item)
    {
        var items = list.Children.Select(c => (c as YamlScalarNode)?.Value ?? string.Empty).ToList();
        // The flags run after the last non-flag item (the binary, or a runner's own arguments before it).
        var runStart = items.FindLastIndex(i => !i.StartsWith("--", StringComparison.Ordinal)) + 1;
        var run = items.Skip(runStart).ToList();
        Comparison<string>? compare = IsSorted(run, ByName) ? ByName : IsSorted(run, string.CompareOrdinal) ? string.CompareOrdinal : null;
        if (compare is null)
        {
            return items.Count;
        }

        var at = run.FindIndex(existing => compare(existing, item) > 0);
        return at < 0 ? items.Count : runStart + at;
    }

    public static int NamePosition(IReadOnlyList<string> names, string name)
    {
        if (!IsSorted(names, string.CompareOrdinal))
        {
            return names.Count;
        }

        var at = names.ToList().FindIndex(existing => string.CompareOrdinal(existing, name) > 0);
        return at < 0 ? names.Count : at;
    }

    public static int ByName(string a, string b)
    {
        static (string Name, string Value) Split(string s)
        {
            var eq = s.IndexOf('=');
            return eq < 0 ? (s, string.Empty) : (s[..eq], s[(eq + 1)..]);
        }

        var (an, av) = Split(a);
        var (bn, bv) = Split(b);
        var byName = string.CompareOrdinal(an, bn);
        return byName != 0 ? byName : string.CompareOrdinal(av, bv);
    }

    private static bool IsSorted(IReadOnlyList<string> items, Comparison<string> compare)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (compare(items[i - 1], items[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }
}
