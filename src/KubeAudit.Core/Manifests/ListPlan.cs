using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// Planned changes to one list, kept twice: as text edits at the original positions and as the
/// canonical items the re-parsed list must then hold.
/// </summary>
internal sealed class ListPlan(YamlSequenceNode? seq)
{
    private readonly Dictionary<int, (string Text, string Canon)> _replace = [];
    private readonly SortedDictionary<int, List<(string Text, string Canon)>> _insert = [];
    private readonly HashSet<int> _remove = [];

    public YamlSequenceNode? Sequence { get; } = seq;

    public bool IsEmpty => _replace.Count == 0 && _insert.Count == 0 && _remove.Count == 0;

    public void Replace(int index, string text, string canon) => _replace[index] = (text, canon);

    public void Insert(int position, string text, string canon)
    {
        if (!_insert.TryGetValue(position, out var list))
        {
            _insert[position] = list = [];
        }

        list.Add((text, canon));
    }

    public void Remove(int index) => _remove.Add(index);

    public bool IsRemoved(int index) => _remove.Contains(index);

    /// <summary>The canonical items after the change, from those before it.</summary>
    public List<string> Expected(IReadOnlyList<string> before)
    {
        var after = new List<string>();
        for (var i = 0; i <= before.Count; i++)
        {
            if (_insert.TryGetValue(i, out var inserted))
            {
                after.AddRange(inserted.Select(x => x.Canon));
            }

            if (i < before.Count && !_remove.Contains(i))
            {
                after.Add(_replace.TryGetValue(i, out var r) ? r.Canon : before[i]);
            }
        }

        return after;
    }

    /// <summary>Adds the text edits; returns why not, when the layout cannot be edited safely.</summary>
    public string? AddEdits(string text, TextEdits edits)
    {
        if (IsEmpty)
        {
            return null;
        }

        if (Sequence is null)
        {
            return "the list to change does not exist";
        }

        foreach (var (index, (replacement, _)) in _replace)
        {
            var node = Sequence.Children[index];
            edits.Replace((int)node.Start.Index, (int)(node.End.Index - node.Start.Index), replacement);
        }

        foreach (var (position, items) in _insert)
        {
            if (SequenceText.Insert(text, Sequence, position, items.Select(x => x.Text).ToList(), edits) is { } why)
            {
                return why;
            }
        }

        return SequenceText.Remove(text, Sequence, _remove, edits);
    }
}
