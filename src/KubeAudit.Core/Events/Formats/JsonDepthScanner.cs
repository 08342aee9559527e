namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Follows JSON nesting across pieces of text, so <see cref="TextChunkReader"/> can tell when the lines
/// of a pretty-printed document are all in, without parsing again from the start each time.
/// Not a validator: strings and escapes are tracked, everything else only counted.
/// </summary>
internal sealed class JsonDepthScanner
{
    private int _depth;
    private bool _inString;
    private bool _escape;
    private bool _sawValue;
    private bool _stray;

    /// <summary>True while a value is open (an object, array or string not yet closed).</summary>
    public bool IsOpen => _depth > 0 || _inString;

    /// <summary>True when everything fed so far is whole JSON objects or arrays and nothing else.</summary>
    public bool IsWholeValue => _sawValue && !IsOpen && !_stray;

    public void Reset()
    {
        _depth = 0;
        _inString = _escape = _sawValue = _stray = false;
    }

    public void Feed(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (_inString)
            {
                if (_escape)
                {
                    _escape = false;
                }
                else if (c == '\\')
                {
                    _escape = true;
                }
                else if (c == '"')
                {
                    _inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    _stray |= _depth == 0;
                    _inString = true;
                    break;
                case '{' or '[':
                    _depth++;
                    _sawValue = true;
                    break;
                case '}' or ']':
                    if (--_depth < 0)
                    {
                        _depth = 0;
                        _stray = true;
                    }

                    break;
                case ' ' or '\t' or '\r' or '\n' or '\uFEFF':
                    break;
                default:
                    _stray |= _depth == 0;
                    break;
            }
        }
    }

    /// <summary>True when <paramref name="text"/> alone is one or more whole JSON objects or arrays.</summary>
    public static bool IsWhole(string text)
    {
        var scanner = new JsonDepthScanner();
        scanner.Feed(text);
        return scanner.IsWholeValue;
    }
}
