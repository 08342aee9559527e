namespace KubeAudit.LogGenerator;

/// <summary>How a caller is authorized, which decides the decision/reason annotations and 403s.</summary>
internal enum Authz { Static, Admin, DevTeam, Sre, Anonymous, Unauthenticated }

/// <summary>
/// One kind of request a caller makes, with a relative weight.
/// Ns: null = cluster scope or all namespaces, "*" = weighted random namespace, "@" = the caller's
/// namespace, "@app" = an app-* namespace, "~" = mostly the caller's namespace (humans),
/// "$pod" = the namespace of a picked pod (on the caller's node for kubelets).
/// Name: null = collection, "*" = an existing object, "$node", "$pod", "$podsa", "$podev", or literal.
/// Q: "W" = informer watch, "L" = informer list, "K" = kubectl list, "/..." = path tail, "?..." = literal query.
/// Sel: a field or label selector inserted into W/L queries. Deny: forced forbid with this reason.
/// </summary>
internal sealed record Act(double W, string Verb, Res? Res = null, string? Ns = null, string? Name = null, string? Sub = null,
    string? Q = null, string? Sel = null, string? Reason = null, string? Path = null, string? Deny = null);

internal sealed class Actor
{
    public required string Username { get; init; }
    public string? Uid { get; init; }
    public string[] Groups { get; init; } = [];
    /// <summary>user.extra, keys pre-sorted as Go writes maps; one value each.</summary>
    public (string Key, string Value)[] Extra { get; init; } = [];
    public string? UserAgent { get; init; }
    public string[] SourceIPs { get; init; } = [];
    public string Reason { get; init; } = "";
    public string? Namespace { get; init; }
    public string? Node { get; init; }
    public Authz Authz { get; init; }
    public double Weight { get; init; }
    public double ImpersonateShare { get; init; }
    public required Act[] Acts { get; init; }
    public bool IsHuman => Authz is Authz.Admin or Authz.DevTeam or Authz.Sre;
}

/// <summary>The callers of the simulated cluster and what each of them does.</summary>
internal static class Actors
{
    private const string V = Catalog.KubeVersion;
    private const string C = Catalog.KubeCommit;
    private const string Linux = " (linux/amd64) kubernetes/";

    public const string Discovery = "RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\"";
    public const string PublicInfo = "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of ClusterRole \"system:public-info-viewer\" to Group \"system:unauthenticated\"";
    public const string PublicInfoAuthenticated = "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of ClusterRole \"system:public-info-viewer\" to Group \"system:authenticated\"";

    public static string Crb(string binding, string role, string kind, string subject) =>
        $"RBAC: allowed by ClusterRoleBinding \"{binding}\" of ClusterRole \"{role}\" to {kind} \"{subject}\"";

    public static string Rb(string binding, string ns, string roleKind, string role, string kind, string subject) =>
        $"RBAC: allowed by RoleBinding \"{binding}/{ns}\" of {roleKind} \"{role}\" to {kind} \"{subject}\"";

    private static string SaReason(string binding, string role, string ns, string sa) => Crb(binding, role, "ServiceAccount", sa + "/" + ns);

    // Shorthands for the act tables.
    private static Act Watch(double w, Res r, string? ns = null, string? sel = null) => new(w, "watch", r, ns, Q: "W", Sel: sel);
    private static Act List(double w, Res r, string? ns = null, string? sel = null) => new(w, "list", r, ns, Q: "L", Sel: sel);
    private static Act Get(double w, Res r, string? ns, string? name, string? q = null, string? sub = null) => new(w, "get", r, ns, name, sub, q);
    private static Act Path(double w, string path, string? reason = null) => new(w, "get", Path: path, Reason: reason);

    public static Actor[] Build()
    {
        var list = new List<Actor>();
        foreach (var n in Catalog.Nodes)
        {
            list.Add(Kubelet(n));
        }

        list.AddRange(ControlPlane());
        list.AddRange(Addons());
        list.AddRange(Humans());
        list.AddRange(Anonymous());
        return [.. list];
    }

    // Client-certificate users (kubelets, scheduler, controller-manager, kubernetes-admin) have no
    // user.extra: X.509 credential IDs only arrive in Kubernetes 1.32. Bound service account tokens
    // carry credential-id (JTI) and, when bound to a pod, node and pod names and uids (1.30+).
    private static Actor Kubelet(NodeInfo n) => new()
    {
        Username = "system:node:" + n.Name,
        Groups = ["system:nodes", "system:authenticated"],
        UserAgent = "kubelet/" + V + Linux + C,
        SourceIPs = [n.Ip],
        Node = n.Name,
        Weight = n.ControlPlane ? 2.2 : 3,
        Acts =
        [
            new(12, "update", R.Leases, "kube-node-lease", "$node", Q: "?timeout=10s"),
            Get(1.5, R.Leases, "kube-node-lease", "$node", "?timeout=10s"),
            Get(6, R.Nodes, null, "$node", "?resourceVersion=0&timeout=10s"),
            new(5, "patch", R.Nodes, null, "$node", "status", "?timeout=10s"),
            Watch(0.6, R.Pods, sel: "fieldSelector=spec.nodeName%3D$node"),
            Watch(0.2, R.Nodes, sel: "fieldSelector=metadata.name%3D$node"),
            Watch(0.2, R.Services),
            Watch(1.2, R.ConfigMaps, "$pod", "fieldSelector=metadata.name%3Dkube-root-ca.crt"),
            new(1.2, "list", R.Pods, Q: "L", Sel: "fieldSelector=spec.nodeName%3D$node"),
            Get(0.5, R.CsiNodes, null, "$node"),
            Get(6, R.Pods, "$pod", "$pod"),
            new(5, "patch", R.Pods, "$pod", "$pod", "status"),
            new(1.5, "create", R.Events, "$pod"),
            new(1, "patch", R.Events, "$pod", "$podev"),
            new(1.2, "create", R.ServiceAccounts, "$pod", "$podsa", "token"),
            new(0.6, "create", R.SubjectAccessReviews),
            new(0.6, "create", R.TokenReviews),
            Get(2.5, R.Secrets, "$pod", "*"),
            Get(2.5, R.ConfigMaps, "$pod", "*"),
            new(0.08, "get", R.Secrets, "*", "*", Deny: "no relationship found between node '$node' and this object"),
        ],
    };

    private static Actor Controller(string sa, double weight, Act[] acts) => new()
    {
        Username = "system:serviceaccount:kube-system:" + sa,
        Uid = Ids.StableUuid("sa/kube-system/" + sa),
        Groups = ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
        Extra = [("authentication.kubernetes.io/credential-id", "JTI=" + Ids.StableUuid("jti/" + sa))],
        UserAgent = "kube-controller-manager/" + V + Linux + C + "/system:serviceaccount:kube-system:" + sa,
        SourceIPs = ["10.0.0.11"],
        Reason = SaReason("system:controller:" + sa, "system:controller:" + sa, "kube-system", sa),
        Namespace = "kube-system",
        Weight = weight,
        Acts = acts,
    };

    private static IEnumerable<Actor> ControlPlane()
    {
        string kcm = "system:kube-controller-manager", sched = "system:kube-scheduler";
        string[] certGroups = ["system:authenticated"];
        yield return new Actor
        {
            Username = kcm, Groups = certGroups, UserAgent = "kube-controller-manager/" + V + Linux + C + "/leader-election",
            SourceIPs = ["10.0.0.11"], Reason = Crb(kcm, kcm, "User", kcm), Weight = 2.2,
            Acts = [Get(1, R.Leases, "kube-system", "kube-controller-manager", "?timeout=5s"), new(1, "update", R.Leases, "kube-system", "kube-controller-manager", Q: "?timeout=5s")],
        };
        yield return Controller("replicaset-controller", 1.6,
        [
            Watch(0.4, R.Pods), Watch(0.3, R.ReplicaSets), new(2, "create", R.Pods, "@app"),
            new(1.2, "delete", R.Pods, "@app", "*"), new(3, "update", R.ReplicaSets, "*", "*", "status"),
        ]);
        yield return Controller("deployment-controller", 1.2,
        [
            new(3, "update", R.Deployments, "*", "*", "status"), new(1, "update", R.ReplicaSets, "*", "*"),
            new(0.2, "create", R.ReplicaSets, "@app"), Watch(0.3, R.Deployments), Watch(0.3, R.ReplicaSets),
        ]);
        yield return Controller("endpointslice-controller", 1.5,
        [
            new(5, "update", R.EndpointSlices, "*", "*"), new(0.3, "create", R.EndpointSlices, "*"), new(0.2, "delete", R.EndpointSlices, "*", "*"),
            Watch(0.3, R.Services), Watch(0.3, R.Pods), Watch(0.3, R.EndpointSlices),
        ]);
        yield return Controller("endpoint-controller", 0.8, [new(4, "update", R.Endpoints, "*", "*"), Watch(0.3, R.Services), Watch(0.3, R.Endpoints)]);
        yield return Controller("generic-garbage-collector", 1.0,
        [
            Path(1, "/api?timeout=32s", Discovery), Path(1, "/apis?timeout=32s", Discovery),
            Watch(0.3, R.Deployments), Watch(0.3, R.Secrets), Watch(0.3, R.ConfigMaps), Watch(0.3, R.RoleBindings), Watch(0.3, R.Leases),
            Get(0.5, R.ReplicaSets, "*", "*"), new(0.1, "delete", R.ReplicaSets, "@app", "*"), List(0.5, R.ReplicaSets), List(0.3, R.ServiceAccounts),
        ]);
        yield return Controller("namespace-controller", 0.25,
        [
            Get(1, R.Namespaces, null, "*"), Path(0.5, "/apis?timeout=32s", Discovery),
            new(0.4, "deletecollection", R.ConfigMaps, "@app"), new(0.2, "deletecollection", R.Events, "*"),
        ]);
        yield return Controller("resourcequota-controller", 0.3, [Path(1, "/apis/metrics.k8s.io/v1beta1?timeout=32s", Discovery), Watch(0.3, R.Pvcs)]);
        yield return Controller("horizontal-pod-autoscaler", 1.0,
        [
            Get(3, R.Deployments, "@app", "*", sub: "scale"), new(2, "list", R.PodMetrics, "@app", Q: "?labelSelector=app.kubernetes.io%2Fname%3D$wl"),
            new(2, "update", Hpas, "@app", "*", "status"),
        ]);
        yield return Controller("node-controller", 0.7,
        [
            Watch(0.3, R.Leases, "kube-node-lease"), Get(2, R.Nodes, null, "*"), new(0.2, "patch", R.Nodes, null, "*"),
            new(0.5, "list", R.Pods, Q: "?fieldSelector=spec.nodeName%3D$anynode"),
        ]);

        yield return new Actor
        {
            Username = sched, Groups = certGroups, UserAgent = "kube-scheduler/" + V + Linux + C + "/leader-election",
            SourceIPs = ["10.0.0.12"], Reason = Crb(sched, sched, "User", sched), Weight = 2.2,
            Acts = [Get(1, R.Leases, "kube-system", "kube-scheduler", "?timeout=5s"), new(1, "update", R.Leases, "kube-system", "kube-scheduler", Q: "?timeout=5s")],
        };
        var volume = Crb("system:volume-scheduler", "system:volume-scheduler", "User", sched);
        yield return new Actor
        {
            Username = sched, Groups = certGroups, UserAgent = "kube-scheduler/" + V + Linux + C + "/scheduler",
            SourceIPs = ["10.0.0.12"], Reason = Crb(sched, sched, "User", sched), Weight = 2.2,
            Acts =
            [
                Watch(0.5, R.Pods, sel: "fieldSelector=status.phase%21%3DSucceeded%2Cstatus.phase%21%3DFailed"),
                Watch(0.3, R.Nodes), Watch(0.3, R.Services), Watch(0.3, R.Namespaces), Watch(0.3, R.ReplicaSets), Watch(0.3, R.StatefulSets),
                Watch(0.3, R.Pdbs), Watch(0.3, R.CsiNodes), new(0.3, "watch", R.Pvcs, Q: "W", Reason: volume),
                new(0.3, "watch", R.Pvs, Q: "W", Reason: volume), new(0.3, "watch", R.StorageClasses, Q: "W", Reason: volume),
                new(1.5, "create", R.Pods, "$pod", "$pod", "binding"), new(1.5, "create", R.EventsV1, "$pod"),
                new(0.15, "patch", R.Pods, "$pod", "$pod", "status"),
            ],
        };
        yield return new Actor
        {
            Username = "system:apiserver", Uid = Ids.StableUuid("system:apiserver"), Groups = ["system:authenticated", "system:masters"],
            UserAgent = "kube-apiserver/" + V + Linux + C, SourceIPs = ["::1"], Reason = "", Weight = 3,
            Acts =
            [
                new(3, "update", R.Leases, "kube-system", Catalog.ApiserverLeases[0]), new(3, "update", R.Leases, "kube-system", Catalog.ApiserverLeases[1]),
                new(3, "update", R.Leases, "kube-system", Catalog.ApiserverLeases[2]), Get(3, R.Namespaces, null, "*"),
                Get(1.5, R.Endpoints, "default", "kubernetes"), Get(1.5, R.EndpointSlices, "default", "kubernetes"),
                Get(1, R.Services, "default", "kubernetes"), Watch(0.3, R.Crds), List(0.2, R.ClusterRoles), Watch(0.3, R.ClusterRoleBindings),
            ],
        };
    }

    public static readonly Res Hpas = new("horizontalpodautoscalers", "autoscaling", "v2", "HorizontalPodAutoscaler", true);

    /// <summary>A workload's service account, authenticated with a bound token of one of its pods.</summary>
    private static Actor WorkloadSa(string ns, string workload, string ua, string reason, double weight, Act[] acts)
    {
        var pod = Catalog.Pods.First(p => p.Ns == ns && p.Owner?.Name == workload);
        var node = Catalog.Node(pod.Node);
        return new Actor
        {
            Username = "system:serviceaccount:" + ns + ":" + pod.Sa,
            Uid = Ids.StableUuid("sa/" + ns + "/" + pod.Sa),
            Groups = ["system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"],
            Extra =
            [
                ("authentication.kubernetes.io/credential-id", "JTI=" + Ids.StableUuid("jti/" + pod.Name)),
                ("authentication.kubernetes.io/node-name", node.Name),
                ("authentication.kubernetes.io/node-uid", Ids.StableUuid("Node//" + node.Name)),
                ("authentication.kubernetes.io/pod-name", pod.Name),
                ("authentication.kubernetes.io/pod-uid", Ids.StableUuid("Pod/" + ns + "/" + pod.Name)),
            ],
            UserAgent = ua, SourceIPs = [pod.Ip], Reason = reason, Namespace = ns, Weight = weight, Acts = acts,
        };
    }

    private static IEnumerable<Actor> Addons()
    {
        yield return WorkloadSa("kube-system", "coredns", "coredns/v0.0.0" + Linux + "$Format", SaReason("system:coredns", "system:coredns", "kube-system", "coredns"), 0.35,
            [Watch(1, R.EndpointSlices), Watch(1, R.Services), Watch(1, R.Namespaces), List(0.15, R.EndpointSlices), List(0.15, R.Services)]);
        foreach (var n in Catalog.Nodes)
        {
            var pod = Catalog.Pods.First(p => p.Node == n.Name && p.Container == "kube-proxy");
            var headless = "labelSelector=%21service.kubernetes.io%2Fheadless%2C%21service.kubernetes.io%2Fservice-proxy-name";
            yield return new Actor
            {
                Username = "system:serviceaccount:kube-system:kube-proxy", Uid = Ids.StableUuid("sa/kube-system/kube-proxy"),
                Groups = ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
                Extra =
                [
                    ("authentication.kubernetes.io/credential-id", "JTI=" + Ids.StableUuid("jti/" + pod.Name)),
                    ("authentication.kubernetes.io/node-name", n.Name), ("authentication.kubernetes.io/node-uid", Ids.StableUuid("Node//" + n.Name)),
                    ("authentication.kubernetes.io/pod-name", pod.Name), ("authentication.kubernetes.io/pod-uid", Ids.StableUuid("Pod/kube-system/" + pod.Name)),
                ],
                UserAgent = "kube-proxy/" + V + Linux + C, SourceIPs = [n.Ip], Node = n.Name, Weight = 0.06,
                Reason = SaReason("kubeadm:node-proxier", "system:node-proxier", "kube-system", "kube-proxy"),
                Acts = [Watch(1, R.Services, sel: headless), Watch(1, R.EndpointSlices, sel: headless), Watch(0.6, R.Nodes, sel: "fieldSelector=metadata.name%3D$node")],
            };
        }
        var ms = SaReason("system:metrics-server", "system:metrics-server", "kube-system", "metrics-server");
        var delegator = SaReason("metrics-server:system:auth-delegator", "system:auth-delegator", "kube-system", "metrics-server");
        yield return WorkloadSa("kube-system", "metrics-server", "metrics-server/v0.7.2" + Linux + "$Format", ms, 1.4,
        [
            new(1, "create", R.TokenReviews, Reason: delegator), new(1.5, "create", R.SubjectAccessReviews, Reason: delegator),
            Watch(0.3, R.Nodes), Watch(0.3, R.Pods), Get(0.3, R.ConfigMaps, "kube-system", "extension-apiserver-authentication"),
        ]);
        var prom = SaReason("prometheus-k8s", "prometheus-k8s", "monitoring", "prometheus-k8s");
        yield return WorkloadSa("monitoring", "prometheus-k8s", "Prometheus/2.54.1", prom, 2.0,
        [
            Path(5, "/metrics"), Watch(0.4, R.Pods), Watch(0.4, R.Endpoints), Watch(0.4, R.Services), Watch(0.4, R.EndpointSlices),
            List(0.4, R.Pods), List(0.4, R.Endpoints), List(0.3, R.Services), Get(2, R.Nodes, null, "*", "/metrics/cadvisor", "proxy"), Get(1, R.Nodes, null, "*", "/metrics", "proxy"),
        ]);
        var ksm = SaReason("kube-state-metrics", "kube-state-metrics", "monitoring", "kube-state-metrics");
        yield return WorkloadSa("monitoring", "kube-state-metrics", "kube-state-metrics/v2.13.0" + Linux + "$Format", ksm, 0.7,
        [
            Watch(0.3, R.Pods), Watch(0.3, R.Deployments), Watch(0.3, R.ReplicaSets), Watch(0.3, R.Nodes), Watch(0.3, R.Namespaces),
            Watch(0.3, R.Secrets), Watch(0.3, R.ConfigMaps), Watch(0.3, R.Services), Watch(0.3, R.Endpoints), Watch(0.3, R.Pvcs),
            Watch(0.3, R.Leases), Watch(0.3, R.Ingresses), Watch(0.3, R.DaemonSets), Watch(0.3, R.StatefulSets), Watch(0.3, Hpas),
            List(0.3, R.Pods), List(0.2, R.Secrets), List(0.2, R.Nodes), List(0.2, R.Deployments), List(0.2, R.ConfigMaps),
        ]);
        var graf = Rb("grafana", "monitoring", "Role", "grafana", "ServiceAccount", "grafana/monitoring");
        yield return WorkloadSa("monitoring", "grafana", "OpenAPI-Generator/30.1.0/python", graf, 0.5,
        [
            Watch(1, R.ConfigMaps, "@", "labelSelector=grafana_dashboard%3D1"), new(1, "list", R.ConfigMaps, "@", Q: "?labelSelector=grafana_dashboard%3D1"),
            Watch(0.5, R.Secrets, "@", "labelSelector=grafana_datasource%3D1"),
        ]);
        var ingress = SaReason("ingress-nginx", "ingress-nginx", "ingress-nginx", "ingress-nginx");
        var ingressLease = Rb("ingress-nginx", "ingress-nginx", "Role", "ingress-nginx", "ServiceAccount", "ingress-nginx/ingress-nginx");
        yield return WorkloadSa("ingress-nginx", "ingress-nginx-controller", "nginx-ingress-controller/v1.11.2 (linux/amd64) ingress-nginx/46e76e5916813cfca2a9b0bfdc34b69a0000f6b9", ingress, 1.0,
        [
            new(3, "get", R.Leases, "@", "ingress-nginx-leader", Reason: ingressLease), new(3, "update", R.Leases, "@", "ingress-nginx-leader", Reason: ingressLease),
            Watch(0.3, R.Ingresses), Watch(0.3, R.Services), Watch(0.3, R.EndpointSlices), Watch(0.3, R.Secrets), Watch(0.3, R.ConfigMaps),
            new(0.2, "create", R.Events, "@app"), new(0.3, "update", R.Ingresses, "@app", "*", "status"),
        ]);
        var cm = SaReason("cert-manager-controller-certificates", "cert-manager-controller-certificates", "cert-manager", "cert-manager");
        var cmLease = Rb("cert-manager:leaderelection", "kube-system", "Role", "cert-manager:leaderelection", "ServiceAccount", "cert-manager/cert-manager");
        yield return WorkloadSa("cert-manager", "cert-manager", "cert-manager-controller/v1.15.3 (linux/amd64) cert-manager/5bbd6d9c8c", cm, 0.8,
        [
            new(2, "get", R.Leases, "kube-system", "cert-manager-controller", Reason: cmLease), new(2, "update", R.Leases, "kube-system", "cert-manager-controller", Reason: cmLease),
            Watch(0.3, R.Certificates), Watch(0.3, R.Secrets), Watch(0.3, R.Ingresses), new(0.4, "update", R.Certificates, "@app", "*", "status"),
            Get(0.5, R.Secrets, "@app", "*"), new(0.08, "create", R.Secrets, "@app"), new(0.2, "update", R.Secrets, "@app", "*"), new(0.2, "create", R.Events, "@app"),
        ]);
        var cai = SaReason("cert-manager-cainjector", "cert-manager-cainjector", "cert-manager", "cert-manager-cainjector");
        var caiLease = Rb("cert-manager-cainjector:leaderelection", "kube-system", "Role", "cert-manager-cainjector:leaderelection", "ServiceAccount", "cert-manager-cainjector/cert-manager");
        yield return WorkloadSa("cert-manager", "cert-manager-cainjector", "cert-manager-cainjector/v1.15.3 (linux/amd64) cert-manager/5bbd6d9c8c", cai, 0.6,
        [
            new(1, "get", R.Leases, "kube-system", "cert-manager-cainjector-leader-election", Reason: caiLease),
            new(1, "update", R.Leases, "kube-system", "cert-manager-cainjector-leader-election", Reason: caiLease), Watch(0.2, R.Crds),
        ]);
        var argo = SaReason("argocd-application-controller", "argocd-application-controller", "argocd", "argocd-application-controller");
        yield return WorkloadSa("argocd", "argocd-application-controller", "argocd-application-controller/v0.0.0" + Linux + "$Format", argo, 1.2,
        [
            Watch(0.2, R.Deployments), Watch(0.2, R.Services), Watch(0.2, R.ConfigMaps), Watch(0.2, R.Secrets), Watch(0.2, R.Ingresses),
            Watch(0.2, R.Roles), Watch(0.2, R.RoleBindings), Watch(0.2, R.ServiceAccounts), List(0.4, R.Deployments), List(0.3, R.Services), List(0.3, R.ConfigMaps),
            new(1, "patch", R.Deployments, "@app", "*", Q: "?fieldManager=argocd-controller&force=true"),
            new(0.5, "patch", R.ConfigMaps, "@app", "*", Q: "?fieldManager=argocd-controller&force=true"),
            new(0.3, "patch", R.Services, "@app", "*", Q: "?fieldManager=argocd-controller&force=true"),
            Get(0.6, R.Deployments, "@app", "*"), Path(0.3, "/apis?timeout=32s", Discovery), Path(0.1, "/openapi/v2?timeout=32s", Discovery),
        ]);
        var ledgerLease = Rb("ledger-leader-election", "app-payments", "Role", "ledger-leader-election", "ServiceAccount", "ledger/app-payments");
        yield return WorkloadSa("app-payments", "ledger", "fabric8-kubernetes-client/6.13.1", ledgerLease, 0.8,
            [Get(1, R.Leases, "@", "ledger-leader"), new(1, "update", R.Leases, "@", "ledger-leader"), Get(0.3, R.ConfigMaps, "@", "ledger-config")]);
        var checkout = Rb("checkout-config-reader", "app-shop", "Role", "config-reader", "ServiceAccount", "checkout/app-shop");
        yield return WorkloadSa("app-shop", "checkout", "OpenAPI-Generator/31.0.0/python", checkout, 0.3,
            [Get(1, R.ConfigMaps, "@", "checkout-config"), Get(1, R.Secrets, "@", "checkout-db-credentials")]);
        var indexer = Rb("indexer", "app-search", "Role", "indexer", "ServiceAccount", "indexer/app-search");
        yield return WorkloadSa("app-search", "indexer", "indexer/v0.0.0" + Linux + "$Format", indexer, 0.3,
            [Get(1, R.ConfigMaps, "@", "indexer-config"), new(0.5, "update", R.ConfigMaps, "@", "indexer-config"), new(0.5, "list", R.Pods, "@", Q: "?labelSelector=app.kubernetes.io%2Fname%3Dsearch-api")]);
    }

    private static IEnumerable<Actor> Humans()
    {
        const string apply = "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict";
        const string create = "?fieldManager=kubectl-create&fieldValidation=Strict";
        const string logs = "?container=$ctr&follow=true&tailLines=100";
        const string exec = "?command=%2Fbin%2Fsh&container=$ctr&stdin=true&stdout=true&tty=true";
        const string describe = "?fieldSelector=involvedObject.name%3D$name%2CinvolvedObject.namespace%3D$ns&limit=500";
        yield return new Actor
        {
            Username = "kubernetes-admin", Groups = ["kubeadm:cluster-admins", "system:authenticated"],
            UserAgent = "kubectl/" + V + Linux + C, SourceIPs = ["10.0.0.11"], Authz = Authz.Admin, Weight = 1.6, ImpersonateShare = 0.05,
            Acts =
            [
                Path(1, "/api?timeout=32s"), Path(1, "/apis?timeout=32s"), Path(0.3, "/openapi/v2?timeout=32s"), Path(0.3, "/version?timeout=32s"),
                new(2, "list", R.Pods, "*", Q: "K"), new(1, "list", R.Pods, Q: "K"), Get(1, R.Pods, "*", "*"), new(0.5, "list", R.Events, "*", Q: describe),
                Get(0.5, R.Nodes, null, "*"), new(0.5, "list", R.Nodes, Q: "K"), Get(0.5, R.Deployments, "*", "*"), new(0.4, "patch", R.Deployments, "*", "*", Q: apply),
                new(0.1, "create", R.ClusterRoleBindings, Q: create), new(0.1, "create", R.RoleBindings, "@app", Q: create), new(0.3, "delete", R.Pods, "*", "*"),
                Get(0.4, R.Secrets, "*", "*"), Get(0.3, R.Pods, "*", "*", logs, "log"), new(0.1, "create", R.Pods, "*", "*", "exec", exec),
                new(0.1, "delete", R.ConfigMaps, "*", "*"), new(0.1, "create", R.Secrets, "@app", Q: create), new(0.05, "deletecollection", R.Pods, "@app", Q: "?labelSelector=job%3Dmigrate"),
            ],
        };
        yield return new Actor
        {
            Username = "alice@example.com", Groups = ["dev-team", "system:authenticated"],
            UserAgent = "kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46", SourceIPs = ["198.51.100.23", "10.0.0.5"],
            Namespace = "app-shop", Authz = Authz.DevTeam, Weight = 1.1,
            Acts =
            [
                Path(0.6, "/api?timeout=32s"), Path(0.6, "/apis?timeout=32s"), Path(0.3, "/openapi/v2?timeout=32s"),
                new(2, "list", R.Pods, "~", Q: "K"), Get(1.5, R.Pods, "~", "*"), Get(0.8, R.Pods, "~", "*", logs, "log"), new(0.3, "create", R.Pods, "~", "*", "exec", exec),
                new(0.5, "list", R.Deployments, "~", Q: "K"), Get(0.5, R.Deployments, "~", "*"), new(0.4, "patch", R.Deployments, "~", "*", Q: apply),
                new(0.3, "delete", R.Pods, "~", "*"), Get(0.3, R.Secrets, "~", "*"), new(0.15, "create", R.ConfigMaps, "~", Q: create),
                new(0.2, "list", R.Nodes, Q: "K"), new(0.1, "list", R.Namespaces, Q: "K"), new(0.3, "list", R.Events, "~", Q: describe),
            ],
        };
        yield return new Actor
        {
            Username = "bob@example.com", Groups = ["sre", "system:authenticated"],
            UserAgent = "kubectl/v1.30.5 (linux/amd64) kubernetes/74e84a9", SourceIPs = ["192.168.10.42"], Namespace = "monitoring",
            Authz = Authz.Sre, Weight = 0.6,
            Acts =
            [
                Path(0.5, "/api?timeout=32s"), Path(0.5, "/apis?timeout=32s"), new(1, "list", R.Pods, Q: "K"), Get(0.5, R.Nodes, null, "*"),
                new(0.5, "list", R.Nodes, Q: "K"), new(0.5, "list", R.NodeMetrics), new(0.3, "list", R.PodMetrics, "*"), Get(0.2, R.Secrets, "*", "*"),
                Get(0.4, R.Pods, "*", "*", logs, "log"), new(0.1, "create", R.Pods, "*", "*", "eviction"), new(0.2, "patch", R.Deployments, "~", "*", Q: apply),
                new(0.3, "list", R.Events, Q: "K"),
            ],
        };
    }

    private static IEnumerable<Actor> Anonymous()
    {
        string[] unauthenticated = ["system:unauthenticated"];
        foreach (var n in Catalog.Nodes.Where(n => n.ControlPlane))
        {
            yield return new Actor
            {
                Username = "system:anonymous", Groups = unauthenticated, UserAgent = "kube-probe/1.31", SourceIPs = [n.Ip],
                Authz = Authz.Anonymous, Weight = 1.8, Acts = [Path(1, "/livez"), Path(5, "/readyz"), Path(0.3, "/healthz")],
            };
        }
        // A load balancer health check: no User-Agent header, so the event has no userAgent.
        yield return new Actor
        {
            Username = "system:anonymous", Groups = unauthenticated, SourceIPs = ["10.0.0.5"], Authz = Authz.Anonymous, Weight = 1.2,
            Acts = [Path(1, "/readyz")],
        };
        yield return new Actor
        {
            Username = "system:anonymous", Groups = unauthenticated, UserAgent = "curl/8.5.0", SourceIPs = ["203.0.113.77"],
            Authz = Authz.Anonymous, Weight = 0.08,
            Acts = [Path(1, "/version"), new(1, "list", R.Secrets, "kube-system"), new(0.5, "list", R.Namespaces), new(0.5, "list", R.Pods, "kube-system")],
        };
        // An expired token: authentication fails, the event has "user":{} and stage ResponseStarted.
        yield return new Actor
        {
            Username = "", Authz = Authz.Unauthenticated, UserAgent = "kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819",
            SourceIPs = ["192.168.50.14"], Weight = 0.15,
            Acts = [new(1, "list", R.Pods, "default", Q: "K"), Path(1, "/api?timeout=32s"), Get(0.5, R.Namespaces, null, "*")],
        };
    }
}
