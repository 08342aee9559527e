namespace KubeAudit.Core.Policy;

/// <summary>The audit stages, in the order the API server emits them, and set operations on stage lists.</summary>
public static class AuditStages
{
    /// <summary>Before the handler runs.</summary>
    public const string RequestReceived = nameof(RequestReceived);

    /// <summary>When headers are written, long-running requests only.</summary>
    public const string ResponseStarted = nameof(ResponseStarted);

    /// <summary>When the response is complete.</summary>
    public const string ResponseComplete = nameof(ResponseComplete);

    /// <summary>Instead of ResponseComplete when the handler panicked.</summary>
    public const string Panic = nameof(Panic);

    /// <summary>All four stages in canonical order (also the order validation messages list them in).</summary>
    public static IReadOnlyList<string> All { get; } = [RequestReceived, ResponseStarted, ResponseComplete, Panic];

    /// <summary>Whether <paramref name="stage"/> is one of the four (case-sensitive, as the API server checks).</summary>
    public static bool IsValid(string? stage) =>
        stage is RequestReceived or ResponseStarted or ResponseComplete or Panic;

    /// <summary>
    /// The set union of two stage lists. The API server builds it through a Go map, so its order is
    /// undefined; we return the canonical order (unknown names last, first-seen order) so output is stable.
    /// </summary>
    public static string[] Union(IReadOnlyList<string>? first, IReadOnlyList<string>? second)
    {
        var seen = new List<string>(4);
        foreach (var stage in All)
        {
            if (Contains(first, stage) || Contains(second, stage))
            {
                seen.Add(stage);
            }
        }

        AddUnknown(first, seen);
        AddUnknown(second, seen);
        return [.. seen];
    }

    /// <summary>All stages except the given ones (the API server's <c>InvertStages</c>).</summary>
    public static string[] Invert(IReadOnlyList<string>? stages) =>
        [.. All.Where(s => !Contains(stages, s))];

    private static bool Contains(IReadOnlyList<string>? list, string stage)
    {
        if (list is null)
        {
            return false;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], stage, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddUnknown(IReadOnlyList<string>? list, List<string> into)
    {
        if (list is null)
        {
            return;
        }

        foreach (var stage in list)
        {
            if (!IsValid(stage) && !into.Contains(stage, StringComparer.Ordinal))
            {
                into.Add(stage);
            }
        }
    }
}
