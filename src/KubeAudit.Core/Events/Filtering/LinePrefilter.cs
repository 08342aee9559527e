using System.Text;

namespace KubeAudit.Core.Events.Filtering;

/// <summary>
/// Rules out JSON lines whose bytes cannot hold a matching event: a wanted value that appears
/// nowhere in the line as a whole JSON string cannot be the event's. Conservative by design: a value
/// that JSON might escape gets no byte check, and a line whose \u or \/ escapes could spell a
/// character of a wanted value is always parsed (Go escapes only &lt;, &gt;, &amp; and control characters,
/// so real logs rarely pay for this).
/// </summary>
internal sealed class LinePrefilter
{
    private readonly List<LineCheck> _checks = [];

    // The ASCII characters of every wanted value: only an escape that decodes to one of them can hide a match.
    private readonly bool[] _wantedChars = new bool[128];

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
            MarkWanted(codes.SelectMany(c => c), ignoreCase: false);
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
                // An escaped wanted character could hide a match from the byte check; then the parser decides.
                return HasEscapeThatCouldHide(line);
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
        MarkWanted(needles.SelectMany(n => n.Plain), ignoreCase);
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

    private void MarkWanted(IEnumerable<byte> bytes, bool ignoreCase)
    {
        foreach (var b in bytes)
        {
            _wantedChars[b] = true;
            if (ignoreCase && char.IsAsciiLetter((char)b))
            {
                _wantedChars[b ^ 0x20] = true;
            }
        }
    }

    private bool HasEscapeThatCouldHide(ReadOnlySpan<byte> line)
    {
        var offset = 0;
        while (true)
        {
            var i = line[offset..].IndexOf((byte)'\\');
            if (i < 0 || offset + i + 1 >= line.Length)
            {
                return false;
            }

            var at = offset + i;
            switch (line[at + 1])
            {
                case (byte)'u' when at + 5 < line.Length && TryHex(line.Slice(at + 2, 4), out var code):
                    if (code < 128 && _wantedChars[code])
                    {
                        return true;
                    }

                    offset = at + 6;
                    break;
                case (byte)'/':
                    if (_wantedChars['/'])
                    {
                        return true;
                    }

                    offset = at + 2;
                    break;
                default:
                    // \" \\ \n and the like stand for characters no plain wanted value has.
                    offset = at + 2;
                    break;
            }
        }
    }

    private static bool TryHex(ReadOnlySpan<byte> hex, out int value)
    {
        value = 0;
        foreach (var b in hex)
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    // Wildcard patterns give no byte check for their dimension.
    private static List<string>? LiteralsOrNull(IReadOnlyList<string> patterns)
    {
        var literals = patterns.Select(p => new Glob(p).Literal).ToList();
        return literals.All(l => l is not null) ? literals.Select(l => l!).ToList() : null;
    }

    // "pods/exec" is checked by its resource part; both parts are checked exactly after parsing.
    private static List<string>? ResourceLiteralsOrNull(IReadOnlyList<string> patterns) =>
        LiteralsOrNull(patterns.Select(p => p.Split('/')[0]).ToList());

    // Printable ASCII that Go's JSON encoder writes as is.
    private static bool IsPlain(string value) =>
        value.Length > 0 && value.All(c => c is >= ' ' and < (char)0x7F and not '"' and not '\\' and not '<' and not '>' and not '&');
}
