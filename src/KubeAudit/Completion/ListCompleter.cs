using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KubeAudit.Commands.Completion;

/// <summary>Completes from a fixed list, by prefix, case-insensitively.</summary>
public abstract class ListCompleter : IArgumentCompleter
{
    private readonly string[] _values;

    /// <summary>Completes from <paramref name="values"/>.</summary>
    protected ListCompleter(string[] values) => _values = values;

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        foreach (var value in _values)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var text = value.Contains('*') ? "'" + value + "'" : value;
                yield return new CompletionResult(text, value, CompletionResultType.ParameterValue, value);
            }
        }
    }
}

/// <summary>Completes Kubernetes verbs.</summary>
public sealed class VerbCompleter() : ListCompleter(KnownValues.Verbs);

/// <summary>Completes common resources and subresources.</summary>
public sealed class ResourceCompleter() : ListCompleter(KnownValues.Resources);

/// <summary>Completes times back from now for -Since and -Until (a date works too).</summary>
public sealed class RelativeTimeCompleter() : ListCompleter(["15m", "1h", "6h", "1d", "7d"]);
