using System.Globalization;
using System.Text;

namespace KubeAudit.Core.Manifests;

/// <summary>A line diff (Myers' O(ND) algorithm) rendered as a unified diff with 3 lines of context.</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The unified diff from <paramref name="oldText"/> to <paramref name="newText"/>; empty when equal.</summary>
    public static string Create(string oldText, string newText, string name)
    {
        var a = Lines(oldText);
        var b = Lines(newText);
        var ops = Diff(a, b);
        if (ops.All(o => o.Kind == ' '))
        {
            return string.Empty;
        }

        var output = new StringBuilder();
        // git's a/ and b/ prefixes; an absolute path keeps its own leading slash.
        var relative = name.TrimStart('/');
        output.Append("--- a/").Append(relative).Append('\n').Append("+++ b/").Append(relative).Append('\n');
        var i = 0;
        while (i < ops.Count)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // A hunk: from context before this change to context after the last change within 2*Context.
            var start = Math.Max(0, i - Context);
            var end = i;
            for (var j = i; j < ops.Count; j++)
            {
                if (ops[j].Kind != ' ')
                {
                    end = j;
                }
                else if (j - end > 2 * Context)
                {
                    break;
                }
            }

            var stop = Math.Min(ops.Count, end + Context + 1);
            var hunk = ops.GetRange(start, stop - start);
            var oldStart = hunk[0].OldLine;
            var newStart = hunk[0].NewLine;
            var oldCount = hunk.Count(o => o.Kind != '+');
            var newCount = hunk.Count(o => o.Kind != '-');
            output.Append(CultureInfo.InvariantCulture, $"@@ -{(oldCount == 0 ? oldStart : oldStart + 1)},{oldCount} +{(newCount == 0 ? newStart : newStart + 1)},{newCount} @@\n");
            foreach (var op in hunk)
            {
                output.Append(op.Kind).Append(op.Text.TrimEnd('\n'));
                output.Append(op.Text.EndsWith('\n') ? "\n" : "\n\\ No newline at end of file\n");
            }

            i = stop;
        }

        return output.ToString();
    }

    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var at = 0;
        while (at < text.Length)
        {
            var eol = text.IndexOf('\n', at);
            var end = eol < 0 ? text.Length : eol + 1;
            lines.Add(text[at..end]);
            at = end;
        }

        return lines;
    }

    private readonly record struct Op(char Kind, string Text, int OldLine, int NewLine);

    // Myers: for each edit distance d keep the furthest x on each diagonal k, then walk back.
    private static List<Op> Diff(List<string> a, List<string> b)
    {
        int n = a.Count, m = b.Count, max = n + m, offset = max + 1;
        var v = new int[2 * max + 3];
        var trace = new List<int[]>();
        var found = false;
        for (var d = 0; d <= max && !found; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }

                v[offset + k] = x;
                if (x >= n && y >= m)
                {
                    found = true;
                    break;
                }
            }
        }

        trace.Add((int[])v.Clone());
        var ops = new List<Op>();
        int cx = n, cy = m;
        for (var d = trace.Count - 2; d >= 0 && (cx > 0 || cy > 0); d--)
        {
            var vd = trace[d];
            var k = cx - cy;
            var prevK = k == -d || (k != d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
            var prevX = d == 0 ? 0 : vd[offset + prevK];
            var prevY = prevX - prevK;
            while (cx > prevX && cy > prevY)
            {
                cx--;
                cy--;
                ops.Add(new Op(' ', a[cx], cx, cy));
            }

            if (d > 0)
            {
                if (cx == prevX)
                {
                    cy--;
                    ops.Add(new Op('+', b[cy], cx, cy));
                }
                else
                {
                    cx--;
                    ops.Add(new Op('-', a[cx], cx, cy));
                }
            }
        }

        ops.Reverse();
        return ops;
    }
}
