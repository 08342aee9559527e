using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeAudit.Core.Diagnostics;

/// <summary>
/// Loads YAML text for the readers that walk the YAML tree (policies, manifests, kubeadm configs, rule files;
/// RBAC documents are deserialized instead, and the deserializer wraps these failures in YamlException). YamlDotNet does
/// not only throw YamlException: an unterminated flow collection followed by a block line gives a bare
/// InvalidOperationException, and other states give ArgumentException. Any parser failure becomes one
/// message and a position (where the parser had got to), for the caller's InvalidYaml diagnostic.
/// </summary>
internal static class YamlText
{
    /// <summary>Loads <paramref name="text"/>; <paramref name="cancel"/> stops a long load (OperationCanceledException, never caught here).</summary>
    public static bool TryLoad(string text, out YamlStream stream, out string? error, out Mark at, CancellationToken cancel = default)
    {
        stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        IParser parser = new Parser(scanner);
        if (cancel.CanBeCanceled)
        {
            parser = new CancellableParser(parser, cancel);
        }

        try
        {
            stream.Load(parser);
            error = null;
            at = Mark.Empty;
            return true;
        }
        catch (YamlException ex)
        {
            error = ex.InnerException?.Message ?? ex.Message;
            at = ex.Start;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // No position of its own: where the scanner had got to is where it stopped making sense.
            error = "a collection is not closed where the next line starts (an unterminated '[' or '{' before a block line?); the parser said: " + ex.Message;
            at = scanner.CurrentPosition;
        }

        stream = new YamlStream();
        return false;
    }
}

/// <summary>A parser that checks for cancellation every so many events: loading a huge file takes seconds.</summary>
internal sealed class CancellableParser(IParser inner, CancellationToken cancel) : IParser
{
    private int _events;

    public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if ((++_events & 4095) == 0)
        {
            cancel.ThrowIfCancellationRequested();
        }

        return inner.MoveNext();
    }
}
