using System.Text.Json;

namespace KubeAudit.Core.Detections.BuiltIn;

/// <summary>What a Pod spec asks of the host: privileged containers, host namespaces, host paths.</summary>
internal static class PodSpecs
{
    private static readonly string[] s_hostNamespaces = ["hostPID", "hostNetwork", "hostIPC"];

    // Falco's sensitive mounts, widened to what lies below them: a hostPath under /etc or /proc is as good as /etc itself.
    private static readonly string[] s_sensitiveRoots =
    [
        "/proc", "/sys", "/dev", "/boot", "/etc", "/root", "/home", "/var/lib/kubelet", "/var/lib/etcd", "/var/lib/docker",
        "/var/lib/containerd", "/var/run", "/run", "/var/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/crio/crio.sock",
    ];

    // Where the cluster's own pods come from (Falco keeps a similar list for its kube-namespace rule):
    // Kubernetes' registries and those of the managed offerings and the common CNI and DNS projects.
    private static readonly string[] s_systemImagePrefixes =
    [
        "registry.k8s.io/", "k8s.gcr.io/", "gcr.io/k8s-", "gcr.io/google-containers/", "gcr.io/google_containers/", "gke.gcr.io/",
        "mcr.microsoft.com/oss/kubernetes", "mcr.microsoft.com/aks/", "mcr.microsoft.com/containernetworking/", "public.ecr.aws/eks/",
        "public.ecr.aws/eks-distro/", "quay.io/cilium/", "docker.io/calico/", "calico/", "quay.io/calico/", "quay.io/tigera/",
        "docker.io/rancher/", "rancher/", "ghcr.io/flannel-io/", "docker.io/flannel/", "quay.io/coreos/", "docker.io/coredns/", "coredns/",
    ];

    /// <summary>The verdict of <paramref name="inspect"/> on the Pod spec of a pod create.</summary>
    public static (Verdict, string?) Check(AuditEvent ev, Func<JsonElement, string?> inspect)
    {
        if (ev.Verb != "create" || ev.Subresource is not null || !EventFacts.Succeeded(ev))
        {
            return (Verdict.NoMatch, null);
        }

        var body = Bodies.Open(ev);
        if (body is null)
        {
            return (Verdict.BodyMissing, null);
        }

        if (!Bodies.TryGet(body.Value, "spec", out var spec))
        {
            return (Verdict.NoMatch, null);
        }

        var detail = inspect(spec);
        return detail is null ? (Verdict.NoMatch, null) : (Verdict.Match, detail);
    }

    /// <summary>The privileged containers, as "nginx (image nginx)" ("nginx" when the body gives no image), or null.</summary>
    public static string? Privileged(JsonElement spec)
    {
        var found = Containers(spec)
            .Where(c => Bodies.TryGet(c, "securityContext", out var sc) && Bodies.IsTrue(sc, "privileged"))
            .Select(c => Bodies.String(c, "image") is { Length: > 0 } image ? $"{Bodies.String(c, "name")} (image {image})" : Bodies.String(c, "name"))
            .ToList();
        return found.Count == 0 ? null : string.Join(", ", found);
    }

    /// <summary>The host namespaces shared (hostPID, hostNetwork, hostIPC), or null.</summary>
    public static string? HostNamespaces(JsonElement spec)
    {
        var found = s_hostNamespaces.Where(n => Bodies.IsTrue(spec, n)).ToList();
        return found.Count == 0 ? null : string.Join(", ", found);
    }

    /// <summary>The sensitive host paths mounted, or null.</summary>
    public static string? SensitiveHostPaths(JsonElement spec)
    {
        var found = Bodies.Items(spec, "volumes")
            .Select(v => Bodies.TryGet(v, "hostPath", out var hp) ? Bodies.String(hp, "path") : null)
            .Where(p => p is not null && IsSensitive(p))
            .Distinct()
            .ToList();
        return found.Count == 0 ? null : string.Join(", ", found);
    }

    /// <summary>The containers whose image is not from a system registry, as "container nginx (image nginx)", or null.</summary>
    public static string? UnknownSystemImages(JsonElement spec)
    {
        var found = Containers(spec)
            .Select(c => (Name: Bodies.String(c, "name"), Image: Bodies.String(c, "image")))
            .Where(c => !IsSystemImage(c.Image))
            .Select(c => $"image {c.Image ?? "(none)"} (container {c.Name})")
            .ToList();
        return found.Count == 0 ? null : string.Join(", ", found);
    }

    /// <summary>Whether an image comes from a registry that serves cluster components, EKS's per-region ECR accounts included.</summary>
    public static bool IsSystemImage(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return false;
        }

        if (s_systemImagePrefixes.Any(prefix => image.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return true;
        }

        // EKS add-ons come from AWS's own ECR accounts (602401143452.dkr.ecr.<region>.amazonaws.com in most
        // regions): the VPC CNI as amazon-k8s-cni*, the rest under eks/.
        var slash = image.IndexOf('/');
        if (slash <= 0 || !image.AsSpan(0, slash).EndsWith(".amazonaws.com"))
        {
            return false;
        }

        var path = image.AsSpan(slash + 1);
        return image.StartsWith("602401143452.", StringComparison.Ordinal) || path.StartsWith("eks/") || path.StartsWith("amazon-k8s-cni");
    }

    /// <summary>Whether a host path is the root, one of the sensitive roots or below one.</summary>
    public static bool IsSensitive(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        var p = path.Length > 1 ? path.TrimEnd('/') : path;
        return p == "/" || s_sensitiveRoots.Any(root => p == root || p.StartsWith(root + "/", StringComparison.Ordinal));
    }

    private static IEnumerable<JsonElement> Containers(JsonElement spec) =>
        Bodies.Items(spec, "containers").Concat(Bodies.Items(spec, "initContainers")).Concat(Bodies.Items(spec, "ephemeralContainers"));
}
