namespace KubeAudit.Core.Rbac;

/// <summary>
/// audit2rbac's verb widening: what a client that made one request will soon need. Informers list then
/// watch (and get on resync); kubectl apply gets, then patches; controllers get before update.
/// </summary>
public static class VerbExpansion
{
    /// <summary>The verb and the ones it widens to.</summary>
    public static IEnumerable<string> Expand(string verb) => verb switch
    {
        "list" => ["list", "get", "watch"],
        "watch" => ["watch", "get", "list"],
        "update" => ["update", "get", "patch"],
        "patch" => ["patch", "get", "update"],
        _ => [verb],
    };
}
