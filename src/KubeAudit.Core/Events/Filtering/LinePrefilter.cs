using System.Text;

namespace KubeAudit.Core.Events.Filtering;

/// <summary>
/// Rules out JSON lines whose bytes cannot hold a matching event: a wanted value that appears
/// nowhere in the line as a whole JSON string cannot be the event's. Conservative by design: a value
/// that JSON might escape gets no byte check, and a line with \u or \/ escapes is always parsed.
/// </summary>
internal sealed class LinePrefilter
{
    private readonly List<LineCheck> _checks = [];

    private delegate bool LineCheck(ReadOnlySpan<byte> line);

    public LinePrefilter(AuditEventFilter filter)
    {
        AddQuoted(filter.Verbs, ignoreCase: false);
        AddQuoted(filter.Levels, ignoreCase: false);
        AddQuoted(filter.Stages, ignoreCase: false);
        AddQuoted(filter.AuditIds, ignoreCase: false);
        AddQuoted(LiteralsOrNull(filter.Users), ignoreCase: true);
        AddQuoted(LiteralsOrNull(filter.Groups), ignoreCase: true);
        AddQuoted(LiteralsOrNull(filter.Namespaces), ignoreCase: true);
        AddQuoted(LiteralsOrNull(filter.Names), ignoreCase: true);
        AddQuoted(ResourceLiteralsOrNull(filter.Resources), ignoreCase: true);
        if (filter.StatusCodes.Count > 0)
        {
            var codes = filter.StatusCodes.Select(c => Encoding.ASCII.GetBytes(c.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
            _checks.Add(line =>
            {
                foreach (var code in codes)
                {
                    if (AsciiSearch.ContainsNumber(line, code))
                    {
                        return true;
                    }
                }

                return false;
            });
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool MayMatch(ReadOnlySpan<byte> line)
    {
        foreach (var check in _checks)
        {
            if (!check(line))
            {
                // Escaped letters could hide a match from the byte check; let the parser decide.
                return line.IndexOf("\\u"u8) >= 0 || line.IndexOf("\\/"u8) >= 0;
            }
        }

        return true;
    }

    private void AddQuoted(IReadOnlyList<string>? values, bool ignoreCase)
    {
        if (values is null || values.Count == 0 || !values.All(IsPlain))
        {
            return;
        }

        var needles = values.Select(v => (Plain: Encoding.ASCII.GetBytes(v), Quoted: Encoding.ASCII.GetBytes("\"" + v + "\""))).ToArray();
        _checks.Add([System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] (line) =>
        {
            foreach (var (plain, quoted) in needles)
            {
                if (AsciiSearch.ContainsQuoted(line, plain, quoted, ignoreCase))
                {
                    return true;
                }
            }

            return false;
        });
    }

    // Wildcard patterns give no byte check for their dimension.
    private static IReadOnlyList<string>? LiteralsOrNull(IReadOnlyList<string> patterns)
    {
        var literals = patterns.Select(p => new Glob(p).Literal).ToList();
        return literals.All(l => l is not null) ? literals.Select(l => l!).ToList() : null;
    }

    // "pods/exec" is checked by its resource part; both parts are checked exactly after parsing.
    private static IReadOnlyList<string>? ResourceLiteralsOrNull(IReadOnlyList<string> patterns) =>
        LiteralsOrNull(patterns.Select(p => p.Split('/')[0]).ToList());

    // Printable ASCII that Go's JSON encoder writes as is.
    private static bool IsPlain(string value) =>
        value.Length > 0 && value.All(c => c is >= ' ' and < (char)0x7F and not '"' and not '\\' and not '<' and not '>' and not '&');
}
