namespace KubeAudit;

/// <summary>One command-line flag of the API-server container, as written in the manifest.</summary>
public sealed class ApiServerFlag
{
    /// <summary>The name without dashes, e.g. <c>audit-log-path</c>.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>The value; null for a bare boolean flag (<c>--flag</c>).</summary>
    public string? Value { get; internal set; }

    /// <summary>0-based index in the command or args list.</summary>
    public int Index { get; internal set; }

    /// <summary>1-based line in the manifest.</summary>
    public long Line { get; internal set; }

    /// <summary>1-based column in the manifest.</summary>
    public long Column { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => Value is null ? "--" + Name : $"--{Name}={Value}";
}
