using System.Text;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Manifests;

/// <summary>
/// Inserts and removes list items in the original text. Block lists are edited by whole lines, with
/// the indentation and dash of a neighbouring item; flow lists (JSON) with the separator found
/// between their items. Removal is the exact inverse of insertion, so Enable then Disable gives the
/// original bytes back.
/// </summary>
internal static class SequenceText
{
    public static string Eol(string text) => text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    public static bool IsFlow(YamlSequenceNode seq) => seq.Style == SequenceStyle.Flow;

    public static int LineStart(string text, int index) => index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

    public static int LineEnd(string text, int index)
    {
        var eol = text.IndexOf('\n', index);
        return eol < 0 ? text.Length : eol + 1;
    }

    /// <summary>The text before a block item on its line (<c>"    - "</c>), or null when the item does not start its own line.</summary>
    public static string? BlockPrefix(string text, YamlNode item)
    {
        var start = (int)item.Start.Index;
        var prefix = text[LineStart(text, start)..start];
        var dash = prefix.TrimStart(' ');
        return dash.Length >= 2 && dash[0] == '-' && dash[1..].All(c => c == ' ') ? prefix : null;
    }

    /// <summary>The column where item content starts: after <c>"- "</c> in block lists, the item's own column in flow lists.</summary>
    public static int ContentColumn(string text, YamlSequenceNode seq)
    {
        var first = seq.Children[0];
        return IsFlow(seq) ? (int)first.Start.Column - 1 : (BlockPrefix(text, first)?.Length ?? (int)first.Start.Column - 1);
    }

    /// <summary>Inserts already rendered items so that they end up at list position <paramref name="position"/>.</summary>
    public static string? Insert(string text, YamlSequenceNode seq, int position, IReadOnlyList<string> items, TextEdits edits)
    {
        if (items.Count == 0)
        {
            return null;
        }

        var n = seq.Children.Count;
        if (IsFlow(seq))
        {
            if (n == 0)
            {
                edits.Insert((int)seq.Start.Index + 1, string.Join(", ", items));
                return null;
            }

            var sep = FlowSeparator(text, seq, Math.Clamp(position - 1, 0, Math.Max(n - 2, 0)));
            if (position > 0)
            {
                edits.Insert(YamlNodes.LastEnd(seq.Children[position - 1], text), string.Concat(items.Select(i => sep + i)));
            }
            else
            {
                edits.Insert((int)seq.Children[0].Start.Index, string.Concat(items.Select(i => i + sep)));
            }

            return null;
        }

        var eol = Eol(text);
        var anchor = seq.Children[position > 0 ? position - 1 : 0];
        if (BlockPrefix(text, anchor) is not { } prefix)
        {
            return $"the list item at line {anchor.Start.Line} does not start its own line";
        }

        if (position == 0)
        {
            edits.Insert(LineStart(text, (int)anchor.Start.Index), string.Concat(items.Select(i => prefix + i + eol)));
            return null;
        }

        var at = LineEnd(text, YamlNodes.LastEnd(anchor, text));
        var lines = items.Select(i => prefix + i).ToList();
        edits.Insert(at, at == text.Length && !text.EndsWith('\n') ? string.Concat(lines.Select(l => eol + l)) : string.Concat(lines.Select(l => l + eol)));
        return null;
    }

    /// <summary>Removes the items at <paramref name="indices"/> (not all of a block list: remove the key instead).</summary>
    public static string? Remove(string text, YamlSequenceNode seq, IEnumerable<int> indices, TextEdits edits)
    {
        var n = seq.Children.Count;
        var sorted = indices.Distinct().Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        if (!IsFlow(seq) && sorted.Count == n)
        {
            return "cannot remove every item of a block list";
        }

        foreach (var (a, b) in Runs(sorted))
        {
            if (IsFlow(seq))
            {
                if (a > 0)
                {
                    edits.Delete(YamlNodes.LastEnd(seq.Children[a - 1], text), YamlNodes.LastEnd(seq.Children[b], text));
                }
                else if (b < n - 1)
                {
                    edits.Delete((int)seq.Children[0].Start.Index, (int)seq.Children[b + 1].Start.Index);
                }
                else
                {
                    edits.Delete((int)seq.Children[0].Start.Index, YamlNodes.LastEnd(seq.Children[n - 1], text));
                }

                continue;
            }

            if (BlockPrefix(text, seq.Children[a]) is null)
            {
                return $"the list item at line {seq.Children[a].Start.Line} does not start its own line";
            }

            var start = LineStart(text, (int)seq.Children[a].Start.Index);
            var end = LineEnd(text, YamlNodes.LastEnd(seq.Children[b], text));
            if (end == text.Length && !text.EndsWith('\n') && start > 0)
            {
                // The last line has no newline: take the one before it instead (inverse of Insert).
                start -= Eol(text).Length;
            }

            edits.Delete(start, end);
        }

        return null;
    }

    /// <summary>Renders a mapping item (nested string pairs) in block or flow style, continuation lines indented to <paramref name="column"/>.</summary>
    public static string RenderMapping(IReadOnlyList<(string Key, object Value)> pairs, bool flow, int column, int step, Func<string, string> key, Func<object, string> value, string eol)
    {
        var builder = new StringBuilder();
        if (flow)
        {
            RenderFlow(builder, pairs, column, step, key, value, eol);
            return builder.ToString();
        }

        RenderBlock(builder, pairs, column, step, key, value, eol, first: true);
        return builder.ToString();
    }

    private static void RenderBlock(StringBuilder builder, IReadOnlyList<(string Key, object Value)> pairs, int column, int step, Func<string, string> key, Func<object, string> value, string eol, bool first)
    {
        foreach (var (k, v) in pairs)
        {
            if (!first)
            {
                builder.Append(eol).Append(' ', column);
            }

            first = false;
            builder.Append(key(k)).Append(':');
            if (v is IReadOnlyList<(string, object)> nested)
            {
                builder.Append(eol).Append(' ', column + step);
                RenderBlock(builder, nested, column + step, step, key, value, eol, first: true);
            }
            else
            {
                builder.Append(' ').Append(value(v));
            }
        }
    }

    private static void RenderFlow(StringBuilder builder, IReadOnlyList<(string Key, object Value)> pairs, int column, int step, Func<string, string> key, Func<object, string> value, string eol)
    {
        builder.Append('{');
        for (var i = 0; i < pairs.Count; i++)
        {
            var (k, v) = pairs[i];
            builder.Append(eol).Append(' ', column + step).Append(key(k)).Append(": ");
            if (v is IReadOnlyList<(string, object)> nested)
            {
                RenderFlow(builder, nested, column + step, step, key, value, eol);
            }
            else
            {
                builder.Append(value(v));
            }

            builder.Append(i < pairs.Count - 1 ? "," : string.Empty);
        }

        builder.Append(eol).Append(' ', column).Append('}');
    }

    private static string FlowSeparator(string text, YamlSequenceNode seq, int j)
    {
        if (seq.Children.Count < 2)
        {
            return ", ";
        }

        var sep = text[YamlNodes.LastEnd(seq.Children[j], text)..(int)seq.Children[j + 1].Start.Index];
        return sep.Contains('#') ? ", " : sep;
    }

    private static IEnumerable<(int A, int B)> Runs(List<int> sorted)
    {
        var a = sorted[0];
        for (var i = 1; i <= sorted.Count; i++)
        {
            if (i == sorted.Count || sorted[i] != sorted[i - 1] + 1)
            {
                yield return (a, sorted[i - 1]);
                if (i < sorted.Count)
                {
                    a = sorted[i];
                }
            }
        }
    }
}
