namespace KubeAudit;

/// <summary>One line of a <see cref="PolicySizeReport"/> breakdown: a level, resource or user, before and after the policy.</summary>
public sealed class PolicySizeRow
{
    /// <summary>The level, resource (<c>pods/exec</c>, <c>leases.coordination.k8s.io</c>, or a URL path) or user.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>Events read.</summary>
    public long EventsBefore { get; internal set; }

    /// <summary>Events the policy keeps.</summary>
    public long EventsAfter { get; internal set; }

    /// <summary>Bytes read.</summary>
    public long BytesBefore { get; internal set; }

    /// <summary>Approximate bytes the policy keeps.</summary>
    public long BytesAfter { get; internal set; }

    /// <summary>The share of bytes kept (BytesAfter / BytesBefore), or null when nothing was read.</summary>
    public double? Kept => BytesBefore > 0 ? (double)BytesAfter / BytesBefore : null;

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {EventsBefore:N0} -> {EventsAfter:N0} events, {BytesBefore:N0} -> {BytesAfter:N0} bytes";
}
