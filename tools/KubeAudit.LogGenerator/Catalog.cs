namespace KubeAudit.LogGenerator;

/// <summary>An API resource as kube-apiserver serves it.</summary>
internal sealed record Res(string Name, string Group, string Version, string Kind, bool Namespaced, bool DeleteReturnsObject = false)
{
    /// <summary>Group/version as written in a body's apiVersion.</summary>
    public string ApiVersion { get; } = Group.Length == 0 ? Version : Group + "/" + Version;
    public string Prefix { get; } = Group.Length == 0 ? "/api/" + Version : "/apis/" + Group + "/" + Version;
    /// <summary>schema.GroupResource.String(), as used in error messages ("deployments.apps").</summary>
    public string Qualified { get; } = Group.Length == 0 ? Name : Name + "." + Group;
}

/// <summary>The resources the generated cluster uses.</summary>
internal static class R
{
    public static readonly Res Pods = new("pods", "", "v1", "Pod", true, true);
    public static readonly Res ConfigMaps = new("configmaps", "", "v1", "ConfigMap", true);
    public static readonly Res Secrets = new("secrets", "", "v1", "Secret", true);
    public static readonly Res Events = new("events", "", "v1", "Event", true);
    public static readonly Res EventsV1 = new("events", "events.k8s.io", "v1", "Event", true);
    public static readonly Res Endpoints = new("endpoints", "", "v1", "Endpoints", true);
    public static readonly Res Services = new("services", "", "v1", "Service", true, true);
    public static readonly Res ServiceAccounts = new("serviceaccounts", "", "v1", "ServiceAccount", true, true);
    public static readonly Res Pvcs = new("persistentvolumeclaims", "", "v1", "PersistentVolumeClaim", true, true);
    public static readonly Res Pvs = new("persistentvolumes", "", "v1", "PersistentVolume", false, true);
    public static readonly Res Nodes = new("nodes", "", "v1", "Node", false, true);
    public static readonly Res Namespaces = new("namespaces", "", "v1", "Namespace", false, true);
    public static readonly Res Leases = new("leases", "coordination.k8s.io", "v1", "Lease", true);
    public static readonly Res EndpointSlices = new("endpointslices", "discovery.k8s.io", "v1", "EndpointSlice", true);
    public static readonly Res Deployments = new("deployments", "apps", "v1", "Deployment", true, true);
    public static readonly Res ReplicaSets = new("replicasets", "apps", "v1", "ReplicaSet", true, true);
    public static readonly Res StatefulSets = new("statefulsets", "apps", "v1", "StatefulSet", true, true);
    public static readonly Res DaemonSets = new("daemonsets", "apps", "v1", "DaemonSet", true, true);
    public static readonly Res Roles = new("roles", "rbac.authorization.k8s.io", "v1", "Role", true);
    public static readonly Res RoleBindings = new("rolebindings", "rbac.authorization.k8s.io", "v1", "RoleBinding", true);
    public static readonly Res ClusterRoles = new("clusterroles", "rbac.authorization.k8s.io", "v1", "ClusterRole", false);
    public static readonly Res ClusterRoleBindings = new("clusterrolebindings", "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", false);
    public static readonly Res TokenReviews = new("tokenreviews", "authentication.k8s.io", "v1", "TokenReview", false);
    public static readonly Res SubjectAccessReviews = new("subjectaccessreviews", "authorization.k8s.io", "v1", "SubjectAccessReview", false);
    public static readonly Res Ingresses = new("ingresses", "networking.k8s.io", "v1", "Ingress", true);
    public static readonly Res CsiNodes = new("csinodes", "storage.k8s.io", "v1", "CSINode", false);
    public static readonly Res StorageClasses = new("storageclasses", "storage.k8s.io", "v1", "StorageClass", false);
    public static readonly Res Pdbs = new("poddisruptionbudgets", "policy", "v1", "PodDisruptionBudget", true);
    public static readonly Res Certificates = new("certificates", "cert-manager.io", "v1", "Certificate", true);
    public static readonly Res NodeMetrics = new("nodes", "metrics.k8s.io", "v1beta1", "NodeMetrics", false);
    public static readonly Res PodMetrics = new("pods", "metrics.k8s.io", "v1beta1", "PodMetrics", true);
    public static readonly Res Crds = new("customresourcedefinitions", "apiextensions.k8s.io", "v1", "CustomResourceDefinition", false);
}

internal sealed record Workload(string Ns, string Name, string Image, string Sa, int Replicas, int Port)
{
    public string RsHash { get; } = Ids.StableSuffix(Ns + "/" + Name + "/rs", 10);
    public string RsName => Name + "-" + RsHash;
}

internal sealed record PodInfo(string Ns, string Name, Workload? Owner, string Node, string Ip, string Container, string Image, string Sa);

internal sealed record NodeInfo(string Name, string Ip, bool ControlPlane);

/// <summary>
/// The simulated cluster: kubeadm-style, 3 control-plane and 12 worker nodes, a monitoring
/// stack, ingress, cert-manager, Argo CD and three application namespaces. Built only from
/// stable hashes, so it is identical for every seed.
/// </summary>
internal static class Catalog
{
    public const string KubeVersion = "v1.31.4";
    public const string KubeCommit = "a78aa47";
    public const string ClusterDomain = "cluster.local";

    public static readonly NodeInfo[] Nodes =
    [
        new("k8s-cp-1", "10.0.0.11", true), new("k8s-cp-2", "10.0.0.12", true), new("k8s-cp-3", "10.0.0.13", true),
        new("k8s-worker-1", "10.0.1.21", false), new("k8s-worker-2", "10.0.1.22", false), new("k8s-worker-3", "10.0.1.23", false),
        new("k8s-worker-4", "10.0.1.24", false), new("k8s-worker-5", "10.0.1.25", false), new("k8s-worker-6", "10.0.1.26", false),
        new("k8s-worker-7", "10.0.1.27", false), new("k8s-worker-8", "10.0.1.28", false), new("k8s-worker-9", "10.0.1.29", false),
        new("k8s-worker-10", "10.0.1.30", false), new("k8s-worker-11", "10.0.1.31", false), new("k8s-worker-12", "10.0.1.32", false),
    ];

    public static readonly string[] AppNamespaces = ["app-shop", "app-payments", "app-search"];

    /// <summary>Namespaces with the weights random picks use (kube-node-lease only holds node leases).</summary>
    public static readonly (string Ns, int Weight)[] Namespaces =
    [
        ("default", 5), ("kube-system", 16), ("kube-public", 1), ("kube-node-lease", 0), ("monitoring", 10),
        ("ingress-nginx", 4), ("cert-manager", 4), ("argocd", 3), ("app-shop", 12), ("app-payments", 8), ("app-search", 8),
    ];

    public static readonly Workload[] Workloads =
    [
        new("kube-system", "coredns", "registry.k8s.io/coredns/coredns:v1.11.3", "coredns", 2, 53),
        new("kube-system", "metrics-server", "registry.k8s.io/metrics-server/metrics-server:v0.7.2", "metrics-server", 1, 10250),
        new("monitoring", "prometheus-k8s", "quay.io/prometheus/prometheus:v2.54.1", "prometheus-k8s", 2, 9090),
        new("monitoring", "grafana", "docker.io/grafana/grafana:11.2.0", "grafana", 1, 3000),
        new("monitoring", "kube-state-metrics", "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0", "kube-state-metrics", 1, 8080),
        new("ingress-nginx", "ingress-nginx-controller", "registry.k8s.io/ingress-nginx/controller:v1.11.2", "ingress-nginx", 2, 443),
        new("cert-manager", "cert-manager", "quay.io/jetstack/cert-manager-controller:v1.15.3", "cert-manager", 1, 9402),
        new("cert-manager", "cert-manager-webhook", "quay.io/jetstack/cert-manager-webhook:v1.15.3", "cert-manager-webhook", 1, 10250),
        new("cert-manager", "cert-manager-cainjector", "quay.io/jetstack/cert-manager-cainjector:v1.15.3", "cert-manager-cainjector", 1, 9402),
        new("argocd", "argocd-application-controller", "quay.io/argoproj/argocd:v2.12.4", "argocd-application-controller", 1, 8082),
        new("app-shop", "frontend", "registry.example.com/shop/frontend:2.14.0", "frontend", 3, 8080),
        new("app-shop", "cart", "registry.example.com/shop/cart:1.8.2", "cart", 2, 8080),
        new("app-shop", "checkout", "registry.example.com/shop/checkout:3.1.0", "checkout", 2, 8080),
        new("app-payments", "payments-api", "registry.example.com/payments/api:5.2.1", "payments-api", 3, 8443),
        new("app-payments", "ledger", "registry.example.com/payments/ledger:1.19.4", "ledger", 2, 8080),
        new("app-search", "search-api", "registry.example.com/search/api:0.42.0", "search-api", 2, 8080),
        new("app-search", "indexer", "registry.example.com/search/indexer:0.42.0", "indexer", 1, 8080),
        new("default", "nginx-demo", "docker.io/library/nginx:1.27.2", "default", 1, 80),
    ];

    public static readonly PodInfo[] Pods = BuildPods();

    private static readonly Dictionary<string, PodInfo[]> s_podsByNs = Group(Pods, p => p.Ns);
    private static readonly Dictionary<string, PodInfo[]> s_podsByNode = Group(Pods, p => p.Node);
    private static readonly Dictionary<string, Workload[]> s_workloadsByNs = Group(Workloads, w => w.Ns);
    private static readonly int s_nsWeightTotal = Namespaces.Sum(n => n.Weight);

    public static readonly string[] ApiserverLeases =
        ["apiserver-" + Ids.StableSuffix("apiserver-1", 26), "apiserver-" + Ids.StableSuffix("apiserver-2", 26), "apiserver-" + Ids.StableSuffix("apiserver-3", 26)];

    private static Dictionary<string, T[]> Group<T>(IEnumerable<T> items, Func<T, string> key) =>
        items.GroupBy(key).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    private static PodInfo[] BuildPods()
    {
        var pods = new List<PodInfo>();
        var workers = Nodes.Where(n => !n.ControlPlane).ToArray();
        var ip = 0;
        string PodIp(NodeInfo n) => "10.244." + (Array.IndexOf(Nodes, n) + 1) + "." + (10 + ip++ % 200);
        foreach (var w in Workloads)
        {
            for (var i = 0; i < w.Replicas; i++)
            {
                var name = w.RsName + "-" + Ids.StableSuffix(w.Ns + "/" + w.Name + "/" + i, 5);
                var node = workers[(int)(Ids.Hash(name) % (ulong)workers.Length)];
                pods.Add(new PodInfo(w.Ns, name, w, node.Name, PodIp(node), w.Name.Replace("-controller", ""), w.Image, w.Sa));
            }
        }
        foreach (var n in Nodes)
        {
            pods.Add(new PodInfo("kube-system", "kube-proxy-" + Ids.StableSuffix(n.Name + "/kube-proxy", 5), null, n.Name, n.Ip,
                "kube-proxy", "registry.k8s.io/kube-proxy:" + KubeVersion, "kube-proxy"));
            if (!n.ControlPlane)
            {
                continue;
            }

            foreach (var c in new[] { "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler" })
            {
                var image = c == "etcd" ? "registry.k8s.io/etcd:3.5.15-0" : "registry.k8s.io/" + c + ":" + KubeVersion;
                pods.Add(new PodInfo("kube-system", c + "-" + n.Name, null, n.Name, n.Ip, c, image, "default"));
            }
        }
        return [.. pods];
    }

    public static NodeInfo Node(string name) => Nodes.First(n => n.Name == name);

    public static string PickNamespace(Random rnd)
    {
        var x = rnd.Next(s_nsWeightTotal);
        foreach (var (ns, weight) in Namespaces)
        {
            if (x < weight)
            {
                return ns;
            }

            x -= weight;
        }
        return "default";
    }

    public static PodInfo PickPod(Random rnd, string? node)
    {
        var pool = node != null && s_podsByNode.TryGetValue(node, out var onNode) ? onNode : Pods;
        return pool[rnd.Next(pool.Length)];
    }

    public static PodInfo? PickPodIn(Random rnd, string ns) =>
        s_podsByNs.TryGetValue(ns, out var pods) ? pods[rnd.Next(pods.Length)] : null;

    public static Workload? PickWorkload(Random rnd, string ns) =>
        s_workloadsByNs.TryGetValue(ns, out var ws) ? ws[rnd.Next(ws.Length)] : null;

    public static Workload? FindWorkload(string ns, string name) =>
        s_workloadsByNs.TryGetValue(ns, out var ws) ? Array.Find(ws, w => w.Name == name || w.RsName == name) : null;

    /// <summary>A plausible existing object name for a resource in a namespace ("" ns = cluster scope).</summary>
    public static string PickName(Random rnd, Res res, string ns)
    {
        var w = PickWorkload(rnd, ns);
        var wn = w?.Name ?? "app";
        string Pick(params string[] names) => names[rnd.Next(names.Length)];
        switch (res.Name)
        {
            case "pods": return PickPodIn(rnd, ns)?.Name ?? wn + "-" + Ids.RandomSuffix(rnd, 10) + "-" + Ids.RandomSuffix(rnd, 5);
            case "configmaps":
                return ns switch
                {
                    "kube-system" => Pick("kube-root-ca.crt", "coredns", "kube-proxy", "kubeadm-config", "kubelet-config", "extension-apiserver-authentication"),
                    "kube-public" => Pick("cluster-info", "kube-root-ca.crt"),
                    "monitoring" => Pick("kube-root-ca.crt", "grafana-dashboards", "prometheus-k8s-rulefiles-0", wn + "-config"),
                    _ => rnd.Next(3) == 0 ? "kube-root-ca.crt" : wn + "-config",
                };
            case "secrets":
                return ns switch
                {
                    "kube-system" => Pick("bootstrap-token-7f3k2q", "metrics-server-certs", "coredns-token"),
                    "cert-manager" => Pick("cert-manager-webhook-ca", "letsencrypt-prod-account-key"),
                    "argocd" => Pick("argocd-secret", "repo-creds-github", "cluster-prod"),
                    _ => Pick(wn + "-tls", wn + "-db-credentials", "sh.helm.release.v1." + wn + ".v" + (3 + rnd.Next(9))),
                };
            case "leases":
                return ns switch
                {
                    "kube-system" => Pick("kube-controller-manager", "kube-scheduler", ApiserverLeases[rnd.Next(3)], "cert-manager-controller"),
                    "kube-node-lease" => Nodes[rnd.Next(Nodes.Length)].Name,
                    _ => wn + "-leader",
                };
            case "deployments": return wn;
            case "replicasets": return w?.RsName ?? wn;
            case "services" or "endpoints": return ns == "default" && rnd.Next(2) == 0 ? "kubernetes" : ns == "kube-system" && wn == "coredns" ? "kube-dns" : wn;
            case "endpointslices": return wn + "-" + Ids.StableSuffix(ns + wn + "eps", 5);
            case "serviceaccounts": return rnd.Next(3) == 0 ? "default" : w?.Sa ?? "default";
            case "roles" or "rolebindings": return Pick(wn + "-leader-election", "dev-team-edit", wn);
            case "clusterroles": return Pick("cluster-admin", "admin", "edit", "view", "system:node", "system:kube-scheduler", "prometheus-k8s");
            case "clusterrolebindings": return Pick("cluster-admin", "kubeadm:cluster-admins", "system:kube-scheduler", "prometheus-k8s", "sre-view", "system:node-proxier");
            case "nodes": return Nodes[rnd.Next(Nodes.Length)].Name;
            case "namespaces": return Namespaces[rnd.Next(Namespaces.Length)].Ns;
            case "ingresses" or "certificates": return wn + (res.Name == "certificates" ? "-tls" : "");
            case "persistentvolumeclaims": return "data-" + wn + "-0";
            case "customresourcedefinitions": return Pick("certificates.cert-manager.io", "applications.argoproj.io", "servicemonitors.monitoring.coreos.com");
            default: return wn;
        }
    }

    /// <summary>A creation time some days before the log starts, stable per object.</summary>
    public static long CreatedMicros(long startMicros, string key) =>
        (startMicros - (long)(Ids.Hash(key) % (40UL * 86_400)) * 1_000_000 - 3_600_000_000) / 1_000_000 * 1_000_000;
}
