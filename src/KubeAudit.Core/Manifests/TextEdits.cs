using System.Text;

namespace KubeAudit.Core.Manifests;

/// <summary>Replacements at positions of the original text, applied together so earlier marks stay valid.</summary>
internal sealed class TextEdits
{
    private readonly List<(int Start, int Length, string Insert, int Order)> _edits = [];

    public int Count => _edits.Count;

    public void Replace(int start, int length, string insert) => _edits.Add((start, length, insert, _edits.Count));

    public void Insert(int at, string insert) => Replace(at, 0, insert);

    public void Delete(int start, int end) => Replace(start, end - start, string.Empty);

    /// <summary>Applies the edits; overlapping ones are a bug in the caller, so they throw.</summary>
    public string Apply(string text)
    {
        var ordered = _edits.OrderBy(e => e.Start).ThenBy(e => e.Order).ToList();
        var builder = new StringBuilder(text.Length + 256);
        var at = 0;
        foreach (var (start, length, insert, _) in ordered)
        {
            if (start < at)
            {
                throw new InvalidOperationException($"Overlapping manifest edits at {start}.");
            }

            builder.Append(text, at, start - at).Append(insert);
            at = start + length;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }
}
