using System.Collections.ObjectModel;

namespace KubeAudit;

/// <summary>An event's annotations, read-only, printing as <c>key=value</c> pairs so Export-Csv writes them readably.</summary>
public sealed class AnnotationMap : ReadOnlyDictionary<string, string>
{
    /// <summary>Wraps <paramref name="annotations"/> (kept, not copied).</summary>
    public AnnotationMap(IDictionary<string, string> annotations)
        : base(annotations)
    {
    }

    /// <summary>The annotations as <c>key=value</c> pairs joined with "; ".</summary>
    public override string ToString() => string.Join("; ", this.Select(p => p.Key + "=" + p.Value));
}
