namespace KubeAudit.Core.Manifests;

/// <summary>Parses edited text again and checks that exactly the planned list changes happened and nothing else.</summary>
internal static class ManifestVerifier
{
    /// <summary>Null when the edit is exactly as planned, else what differs.</summary>
    public static string? Verify(PodManifest before, string newText, ListPlan flags, ListPlan volumes, ListPlan mounts)
    {
        var after = PodManifest.Parse(newText, before.File, out var error);
        if (after is null)
        {
            return "it no longer parses as an API-server Pod: " + error?.Message;
        }

        if (after.ContainerIndex != before.ContainerIndex || after.FlagKey != before.FlagKey)
        {
            return "the API-server container or its flag list moved";
        }

        var old = ManifestSnapshot.Of(before);
        var now = ManifestSnapshot.Of(after);
        if (!flags.Expected(old.Flags).SequenceEqual(now.Flags))
        {
            return "the " + before.FlagKey + " list differs from the plan";
        }

        if (!volumes.Expected(old.Volumes).SequenceEqual(now.Volumes))
        {
            return "the volumes differ from the plan";
        }

        if (!mounts.Expected(old.Mounts).SequenceEqual(now.Mounts))
        {
            return "the volumeMounts differ from the plan";
        }

        return old.Rest == now.Rest ? null : "something outside the flags, volumes and mounts changed";
    }
}
