using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeAudit.Core.Events.Formats;

namespace KubeAudit.Commands.Completion;

/// <summary>
/// Completes -User and -ServiceAccount from the subjects in the log named by -Path or -LiteralPath on the same
/// command line: the users that made requests and the ones they impersonated. Only the start of the log is read
/// (a few thousand events, for at most a second), so a tab on a large log stays quick; nothing is offered without a log.
/// </summary>
public abstract class SubjectCompleter : IArgumentCompleter
{
    private const int MaxEvents = 20_000;
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(1);
    private const string ServiceAccountPrefix = "system:serviceaccount:";
    private readonly bool _serviceAccounts;

    /// <summary>Users, or service accounts as namespace:name.</summary>
    protected SubjectCompleter(bool serviceAccounts) => _serviceAccounts = serviceAccounts;

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        using var budget = new CancellationTokenSource(s_budget);
        var read = 0;
        foreach (var file in Files(fakeBoundParameters))
        {
            try
            {
                foreach (var record in AuditSource.ReadFile(file, null, budget.Token))
                {
                    if (record.Event is { } ev)
                    {
                        Add(names, ev.User.Username);
                        Add(names, ev.ImpersonatedUser?.Username);
                    }

                    if (++read >= MaxEvents)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // An unreadable log offers nothing; the command itself will say why.
            }
        }

        foreach (var name in names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            var text = name.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or ',' or ';' or '(' or ')' or '{' or '}' or '@' or '#')
                ? "'" + name.Replace("'", "''") + "'"
                : name;
            yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
        }
    }

    private void Add(SortedSet<string> names, string? user)
    {
        if (string.IsNullOrEmpty(user))
        {
            return;
        }

        if (!_serviceAccounts)
        {
            names.Add(user);
        }
        else if (user.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) && user.Length > ServiceAccountPrefix.Length)
        {
            names.Add(user[ServiceAccountPrefix.Length..]);
        }
    }

    // The files -Path (wildcards, resolved against the current location) or -LiteralPath name; folders give their files.
    private static string[] Files(IDictionary bound)
    {
        var literal = bound.Contains("LiteralPath");
        var given = bound[literal ? "LiteralPath" : "Path"];
        var paths = given switch
        {
            null => [],
            string one => [one],
            IEnumerable many => many.Cast<object?>().Select(o => o?.ToString()).OfType<string>().ToArray(),
            _ => [given.ToString()!],
        };
        if (paths.Length == 0)
        {
            return [];
        }

        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand("Microsoft.PowerShell.Management\\Get-ChildItem").AddParameter(literal ? "LiteralPath" : "Path", paths)
            .AddParameter("File").AddParameter("ErrorAction", "Ignore");
        return ps.Invoke().Select(o => o.BaseObject).OfType<FileInfo>().Select(f => f.FullName).ToArray();
    }
}

/// <summary>Completes -User from the log on the command line.</summary>
public sealed class UserCompleter() : SubjectCompleter(serviceAccounts: false);

/// <summary>Completes -ServiceAccount (namespace:name) from the log on the command line.</summary>
public sealed class ServiceAccountCompleter() : SubjectCompleter(serviceAccounts: true);
