using System.Text;

namespace KubeAudit.Core.Manifests;

/// <summary>How the policy at the destination compares with the one to install.</summary>
public enum PolicyState
{
    /// <summary>No file there yet.</summary>
    Missing,

    /// <summary>The same bytes.</summary>
    Same,

    /// <summary>Another policy.</summary>
    Different,
}

/// <summary>The policy part of an <see cref="AuditChange"/>: what is installed where, and what is there now.</summary>
public sealed class PolicyPlan
{
    /// <summary>The policy text to install.</summary>
    public string Text { get; private init; } = string.Empty;

    /// <summary>Where it came from, for the plan text.</summary>
    public string Source { get; private init; } = string.Empty;

    /// <summary>The destination as the API server sees it (<c>--audit-policy-file</c>).</summary>
    public string Destination { get; private init; } = string.Empty;

    /// <summary>The destination on this machine's disk.</summary>
    public string File { get; private init; } = string.Empty;

    /// <summary>What is at the destination now.</summary>
    public PolicyState State { get; private init; }

    /// <summary>The mode of a same policy group or others can read or write (<c>0644</c>), which Apply sets to 0600; else null.</summary>
    public string? LooseMode { get; private init; }

    internal static PolicyPlan? For(string text, string source, string destination, string file, out AuditChangeRefusal? refusal)
    {
        refusal = null;
        if (Directory.Exists(file))
        {
            refusal = AuditChange.Refusal1(AuditChangeStep.HostPath, file, $"The policy destination {file} is a folder; give a file path.");
            return null;
        }

        var state = PolicyState.Missing;
        try
        {
            if (System.IO.File.Exists(file))
            {
                state = System.IO.File.ReadAllBytes(file).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(text)) ? PolicyState.Same : PolicyState.Different;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            refusal = new AuditChangeRefusal(AuditChangeStep.ReadFailed, [], file, ex);
            return null;
        }

        return new PolicyPlan
        {
            Text = text,
            Source = source,
            Destination = destination,
            File = file,
            State = state,
            LooseMode = state == PolicyState.Same ? ModeOpenToOthers(file) : null,
        };
    }

    internal string Describe(string backupRoot)
    {
        var where = File == Destination ? Destination : $"{Destination} (on disk: {File})";
        return State switch
        {
            PolicyState.Same when LooseMode is { } mode => $"Keep the audit policy at {where}, setting its mode from {mode} to 0600",
            PolicyState.Same => $"Keep the audit policy at {where}",
            PolicyState.Different => $"Replace the audit policy at {where} with {Source} (the old one is backed up under {backupRoot})",
            _ => $"Write {Source} to {where} (mode 0600)",
        };
    }

    // The mode of a file group or others can read or write ("0644"), else null.
    private static string? ModeOpenToOthers(string file)
    {
        if (OperatingSystem.IsWindows() || !System.IO.File.Exists(file))
        {
            return null;
        }

        var mode = System.IO.File.GetUnixFileMode(file);
        const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return (mode & Others) == 0 ? null : "0" + Convert.ToString((int)mode & 0x1FF, 8);
    }
}
