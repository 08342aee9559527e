namespace KubeAudit.LogGenerator;

/// <summary>Pods, Deployments/ReplicaSets, Scale and Nodes: the big bodies.</summary>
internal sealed partial class Bodies
{
    private const string PodManagerFields =
        "{\"f:metadata\":{\"f:generateName\":{},\"f:labels\":{\".\":{},\"f:app.kubernetes.io/name\":{},\"f:pod-template-hash\":{}}," +
        "\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\"$OWNER\\\"}\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"$CTR\\\"}\":" +
        "{\".\":{},\"f:image\":{},\"f:imagePullPolicy\":{},\"f:name\":{},\"f:ports\":{},\"f:resources\":{},\"f:securityContext\":{}," +
        "\"f:terminationMessagePath\":{},\"f:terminationMessagePolicy\":{}}},\"f:dnsPolicy\":{},\"f:enableServiceLinks\":{}," +
        "\"f:restartPolicy\":{},\"f:schedulerName\":{},\"f:securityContext\":{},\"f:serviceAccount\":{},\"f:serviceAccountName\":{}," +
        "\"f:terminationGracePeriodSeconds\":{}}}";

    private const string PodStatusFields =
        "{\"f:status\":{\"f:conditions\":{\"k:{\\\"type\\\":\\\"ContainersReady\\\"}\":{\".\":{},\"f:lastProbeTime\":{},\"f:lastTransitionTime\":{},\"f:status\":{},\"f:type\":{}}," +
        "\"k:{\\\"type\\\":\\\"Ready\\\"}\":{\".\":{},\"f:lastProbeTime\":{},\"f:lastTransitionTime\":{},\"f:status\":{},\"f:type\":{}}}," +
        "\"f:containerStatuses\":{},\"f:hostIP\":{},\"f:hostIPs\":{},\"f:phase\":{},\"f:podIP\":{},\"f:podIPs\":{\".\":{},\"k:{\\\"ip\\\":\\\"$IP\\\"}\":{\".\":{},\"f:ip\":{}}},\"f:startTime\":{}}}";

    private const string Tolerations =
        "[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}," +
        "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]";

    private const string RestrictedContext = "{\"capabilities\":{\"drop\":[\"ALL\"]},\"runAsNonRoot\":true,\"readOnlyRootFilesystem\":true,\"allowPrivilegeEscalation\":false}";

    private void Pod(Obj o)
    {
        var r = o.Req;
        var isNew = o.Request && r.GenerateName != null;
        var p = isNew ? null : r.Pod?.Name == o.Name ? r.Pod : Catalog.Pods.FirstOrDefault(x => x.Name == o.Name && x.Ns == o.Ns);
        var wl = p != null ? p.Owner : r.Workload;
        var container = p?.Container ?? wl?.Name ?? "app";
        var image = p?.Image ?? wl?.Image ?? "docker.io/library/busybox:1.36";
        var sa = p?.Sa ?? wl?.Sa ?? "default";
        var stored = !o.Request || o.Rv > 0;
        var scheduled = stored && p != null;
        var created = Created(o);

        _w.StartObject();
        TypeMeta(o);
        Meta(o, generateName: p?.Owner != null ? p.Owner.RsName + "-" : p == null ? r.GenerateName : null);
        var ownerUid = wl != null ? Ids.StableUuid("ReplicaSet/" + wl.Ns + "/" + wl.RsName) : "";
        if (wl != null && (p == null || p.Owner != null))
        {
            Labels("app.kubernetes.io/name", wl.Name, "pod-template-hash", wl.RsHash);
            if (wl.Ns.StartsWith("app-", StringComparison.Ordinal))
            {
                _w.Obj("annotations");
                _w.Str("prometheus.io/port", Rv(wl.Port));
                _w.Str("prometheus.io/scrape", "true");
                _w.EndObject();
            }
            _w.Arr("ownerReferences");
            OwnerRef("apps/v1", "ReplicaSet", wl.RsName, ownerUid);
            _w.EndArray();
        }
        else if (container == "kube-proxy")
        {
            Labels("controller-revision-hash", Ids.StableSuffix("kube-proxy-rev", 10), "k8s-app", "kube-proxy", "pod-template-generation", "1");
            _w.Arr("ownerReferences");
            OwnerRef("apps/v1", "DaemonSet", "kube-proxy", Ids.StableUuid("DaemonSet/kube-system/kube-proxy"));
            _w.EndArray();
        }
        else
        {
            // A static (mirror) Pod from /etc/kubernetes/manifests.
            Labels("component", container, "tier", "control-plane");
            _w.Obj("annotations");
            _w.Str("kubernetes.io/config.hash", Ids.StableHex(o.Name, 32));
            _w.Str("kubernetes.io/config.mirror", Ids.StableHex(o.Name, 32));
            _w.Str("kubernetes.io/config.seen", "2025-11-28T09:14:03.512318044Z");
            _w.Str("kubernetes.io/config.source", "file");
            _w.EndObject();
            _w.Arr("ownerReferences");
            OwnerRef("v1", "Node", p?.Node ?? "k8s-cp-1", Ids.StableUuid("Node//" + (p?.Node ?? "k8s-cp-1")));
            _w.EndArray();
        }
        if (o.Managed && stored)
        {
            _w.Arr("managedFields");
            ManagedField("kube-controller-manager", "Update", "v1", created, PodManagerFields.Replace("$OWNER", ownerUid).Replace("$CTR", container));
            if (scheduled)
            {
                ManagedField("kubelet", "Update", "v1", created + 9_000_000, PodStatusFields.Replace("$IP", p!.Ip), "status");
            }

            _w.EndArray();
        }
        _w.EndObject(); // metadata

        var apiVolume = "kube-api-access-" + Ids.StableSuffix(o.Name + "/vol", 5);
        _w.Obj("spec");
        if (stored)
        {
            _w.Arr("volumes");
            _w.StartObject();
            _w.Str("name", apiVolume);
            _w.RawProp("projected", "{\"sources\":[{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}},{\"configMap\":{\"name\":\"kube-root-ca.crt\",\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}]}},{\"downwardAPI\":{\"items\":[{\"path\":\"namespace\",\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.namespace\"}}]}}],\"defaultMode\":420}");
            _w.EndObject();
            _w.EndArray();
        }
        _w.Arr("containers");
        _w.StartObject();
        _w.Str("name", container);
        _w.Str("image", image);
        var port = wl?.Port ?? 8080;
        _w.Arr("ports");
        _w.StartObject();
        _w.Str("name", port == 443 || port == 8443 ? "https" : "http");
        _w.Num("containerPort", port);
        _w.Str("protocol", "TCP");
        _w.EndObject();
        _w.EndArray();
        _w.Arr("env");
        _w.StartObject(); _w.Str("name", "LOG_LEVEL"); _w.Str("value", "info"); _w.EndObject();
        _w.StartObject(); _w.Str("name", "POD_NAME"); _w.RawProp("valueFrom", "{\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.name\"}}"); _w.EndObject();
        _w.StartObject(); _w.Str("name", "GOMEMLIMIT"); _w.RawProp("valueFrom", "{\"resourceFieldRef\":{\"resource\":\"limits.memory\",\"divisor\":\"0\"}}"); _w.EndObject();
        _w.EndArray();
        _w.RawProp("resources", "{\"limits\":{\"memory\":\"512Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"256Mi\"}}");
        if (stored)
        {
            _w.RawProp("volumeMounts", "[{\"name\":\"" + apiVolume + "\",\"readOnly\":true,\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}]");
        }

        if (wl != null)
        {
            var probe = "{\"httpGet\":{\"path\":\"/healthz\",\"port\":" + port + ",\"scheme\":\"HTTP\"},\"timeoutSeconds\":1,\"periodSeconds\":10,\"successThreshold\":1,\"failureThreshold\":3}";
            _w.RawProp("livenessProbe", probe);
            _w.RawProp("readinessProbe", probe.Replace("/healthz", "/readyz"));
        }
        _w.Str("terminationMessagePath", "/dev/termination-log");
        _w.Str("terminationMessagePolicy", "File");
        _w.Str("imagePullPolicy", "IfNotPresent");
        _w.RawProp("securityContext", RestrictedContext);
        _w.EndObject();
        _w.EndArray();
        _w.Str("restartPolicy", "Always");
        _w.Num("terminationGracePeriodSeconds", 30);
        _w.Str("dnsPolicy", "ClusterFirst");
        _w.Str("serviceAccountName", sa);
        _w.Str("serviceAccount", sa);
        if (scheduled)
        {
            _w.Str("nodeName", p!.Node);
        }

        _w.RawProp("securityContext", "{\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}");
        _w.Str("schedulerName", "default-scheduler");
        if (stored)
        {
            _w.RawProp("tolerations", Tolerations);
            _w.Num("priority", 0);
        }
        _w.Flag("enableServiceLinks", true);
        if (stored)
        {
            _w.Str("preemptionPolicy", "PreemptLowerPriority");
        }

        _w.EndObject(); // spec

        _w.Obj("status");
        if (scheduled)
        {
            PodStatus(p!, image, created);
        }
        else if (stored)
        {
            _w.Str("phase", "Pending");
            _w.Str("qosClass", "Burstable");
        }
        _w.EndObject();
        _w.EndObject();
    }

    private void PodStatus(PodInfo p, string image, long created)
    {
        var started = created + 2_000_000;
        _w.Str("phase", "Running");
        _w.Arr("conditions");
        foreach (var (type, offset) in new[] { ("PodReadyToStartContainers", 4), ("Initialized", 0), ("Ready", 9), ("ContainersReady", 9), ("PodScheduled", 0) })
        {
            _w.StartObject();
            _w.Str("type", type);
            _w.Str("status", "True");
            _w.NullProp("lastProbeTime");
            _w.Time("lastTransitionTime", created + offset * 1_000_000L);
            _w.EndObject();
        }
        _w.EndArray();
        var hostIp = Catalog.Node(p.Node).Ip;
        _w.Str("hostIP", hostIp);
        _w.RawProp("hostIPs", "[{\"ip\":\"" + hostIp + "\"}]");
        _w.Str("podIP", p.Ip);
        _w.RawProp("podIPs", "[{\"ip\":\"" + p.Ip + "\"}]");
        _w.Time("startTime", created);
        _w.Arr("containerStatuses");
        _w.StartObject();
        _w.Str("name", p.Container);
        _w.Obj("state");
        _w.Obj("running");
        _w.Time("startedAt", started);
        _w.EndObject();
        _w.EndObject();
        _w.EmptyObj("lastState");
        _w.Flag("ready", true);
        _w.Num("restartCount", (long)(Ids.Hash(p.Name) % 3));
        _w.Str("image", image);
        _w.Str("imageID", image.Split(':')[0] + "@sha256:" + Ids.StableHex(image, 64));
        _w.Str("containerID", "containerd://" + Ids.StableHex(p.Name + "/ctr", 64));
        _w.Flag("started", true);
        _w.EndObject();
        _w.EndArray();
        _w.Str("qosClass", "Burstable");
    }

    /// <summary>Deployment or ReplicaSet (same shape, the ReplicaSet adds its owner and template hash).</summary>
    private void Deployment(Obj o)
    {
        var wl = Catalog.FindWorkload(o.Ns, o.Name) ?? o.Req.Workload;
        var app = wl?.Name ?? o.Name;
        var rs = o.Res.Kind == "ReplicaSet";
        var replicas = wl?.Replicas ?? 1;
        var generation = 1 + (long)(Ids.Hash(o.Key) % 40);
        _w.StartObject();
        TypeMeta(o);
        Meta(o, generation: o.Request && o.Rv == 0 ? 0 : generation);
        if (rs)
        {
            Labels("app.kubernetes.io/name", app, "pod-template-hash", wl?.RsHash ?? "5d4f8c7b9");
        }
        else
        {
            Labels("app.kubernetes.io/instance", app, "app.kubernetes.io/managed-by", "argocd", "app.kubernetes.io/name", app);
        }

        _w.Obj("annotations");
        _w.Str(rs ? "deployment.kubernetes.io/desired-replicas" : "deployment.kubernetes.io/revision", Rv(rs ? replicas : 3 + generation / 4));
        if (!rs)
        {
            // kubectl's client-side apply stores the whole manifest as a JSON string.
            _w.Str("kubectl.kubernetes.io/last-applied-configuration",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"labels\":{\"app.kubernetes.io/name\":\"" + app + "\"},\"name\":\"" + app +
                "\",\"namespace\":\"" + o.Ns + "\"},\"spec\":{\"replicas\":" + replicas + ",\"selector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"" + app +
                "\"}},\"template\":{\"metadata\":{\"labels\":{\"app.kubernetes.io/name\":\"" + app + "\"}},\"spec\":{\"containers\":[{\"image\":\"" + (wl?.Image ?? "nginx") +
                "\",\"name\":\"" + app + "\"}]}}}}\n");
        }
        _w.EndObject();
        if (rs)
        {
            _w.Arr("ownerReferences");
            OwnerRef("apps/v1", "Deployment", app, Ids.StableUuid("Deployment/" + o.Ns + "/" + app));
            _w.EndArray();
        }
        if (o.Managed)
        {
            _w.Arr("managedFields");
            ManagedField(rs ? "kube-controller-manager" : "argocd-controller", rs ? "Update" : "Apply", "apps/v1", Catalog.CreatedMicros(_start, o.Key),
                "{\"f:metadata\":{\"f:labels\":{\"f:app.kubernetes.io/name\":{}}},\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:app.kubernetes.io/name\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"" + app + "\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{},\"f:ports\":{}}}}}}}");
            _w.EndArray();
        }
        _w.EndObject(); // metadata

        _w.Obj("spec");
        _w.Num("replicas", replicas);
        _w.RawProp("selector", "{\"matchLabels\":{\"app.kubernetes.io/name\":\"" + app + "\"" + (rs ? ",\"pod-template-hash\":\"" + (wl?.RsHash ?? "5d4f8c7b9") + "\"" : "") + "}}");
        _w.Obj("template");
        _w.Obj("metadata");
        _w.NullProp("creationTimestamp");
        _w.Obj("labels");
        _w.Str("app.kubernetes.io/name", app);
        if (rs)
        {
            _w.Str("pod-template-hash", wl?.RsHash ?? "5d4f8c7b9");
        }

        _w.EndObject();
        _w.EndObject();
        _w.Obj("spec");
        _w.Arr("containers");
        _w.StartObject();
        _w.Str("name", app);
        _w.Str("image", wl?.Image ?? "docker.io/library/nginx:1.27.2");
        _w.RawProp("ports", "[{\"name\":\"http\",\"containerPort\":" + (wl?.Port ?? 8080) + ",\"protocol\":\"TCP\"}]");
        _w.RawProp("resources", "{\"limits\":{\"memory\":\"512Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"256Mi\"}}");
        _w.Str("terminationMessagePath", "/dev/termination-log");
        _w.Str("terminationMessagePolicy", "File");
        _w.Str("imagePullPolicy", "IfNotPresent");
        _w.RawProp("securityContext", RestrictedContext);
        _w.EndObject();
        _w.EndArray();
        _w.Str("restartPolicy", "Always");
        _w.Num("terminationGracePeriodSeconds", 30);
        _w.Str("dnsPolicy", "ClusterFirst");
        _w.Str("serviceAccountName", wl?.Sa ?? "default");
        _w.Str("serviceAccount", wl?.Sa ?? "default");
        _w.RawProp("securityContext", "{\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}");
        _w.Str("schedulerName", "default-scheduler");
        _w.EndObject();
        _w.EndObject(); // template
        if (!rs)
        {
            _w.RawProp("strategy", "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}}");
            _w.Num("revisionHistoryLimit", 10);
            _w.Num("progressDeadlineSeconds", 600);
        }
        _w.EndObject(); // spec

        _w.Obj("status");
        if (!(o.Request && o.Rv == 0))
        {
            _w.Num("observedGeneration", generation);
            _w.Num("replicas", replicas);
            if (!rs)
            {
                _w.Num("updatedReplicas", replicas);
            }

            _w.Num(rs ? "fullyLabeledReplicas" : "readyReplicas", replicas);
            _w.Num(rs ? "readyReplicas" : "availableReplicas", replicas);
            if (rs)
            {
                _w.Num("availableReplicas", replicas);
            }

            if (!rs)
            {
                var t = Catalog.CreatedMicros(_start, o.Key);
                _w.Arr("conditions");
                _w.StartObject();
                _w.Str("type", "Available"); _w.Str("status", "True"); _w.Time("lastUpdateTime", t + 40_000_000); _w.Time("lastTransitionTime", t + 40_000_000);
                _w.Str("reason", "MinimumReplicasAvailable"); _w.Str("message", "Deployment has minimum availability.");
                _w.EndObject();
                _w.StartObject();
                _w.Str("type", "Progressing"); _w.Str("status", "True"); _w.Time("lastUpdateTime", t + 95_000_000); _w.Time("lastTransitionTime", t);
                _w.Str("reason", "NewReplicaSetAvailable"); _w.Str("message", "ReplicaSet \"" + (wl?.RsName ?? app) + "\" has successfully progressed.");
                _w.EndObject();
                _w.EndArray();
            }
        }
        _w.EndObject();
        _w.EndObject();
    }

    private void Scale(Request r)
    {
        var wl = r.Workload;
        var replicas = wl?.Replicas ?? 1;
        _w.StartObject();
        _w.Str("kind", "Scale");
        _w.Str("apiVersion", "autoscaling/v1");
        _w.Obj("metadata");
        _w.Str("name", r.Name ?? "app");
        _w.Str("namespace", r.Ns ?? "default");
        _w.Str("uid", Ids.StableUuid("Deployment/" + r.Ns + "/" + r.Name));
        _w.Str("resourceVersion", Rv(r.PrevRv));
        _w.Time("creationTimestamp", Catalog.CreatedMicros(_start, "Deployment/" + r.Ns + "/" + r.Name));
        _w.EndObject();
        _w.Obj("spec"); _w.Num("replicas", replicas); _w.EndObject();
        _w.Obj("status"); _w.Num("replicas", replicas); _w.Str("selector", "app.kubernetes.io/name=" + (wl?.Name ?? r.Name)); _w.EndObject();
        _w.EndObject();
    }

    private void Node(Obj o)
    {
        var node = Catalog.Nodes.FirstOrDefault(n => n.Name == o.Name) ?? Catalog.Nodes[3];
        var created = Catalog.CreatedMicros(_start, "Node//" + node.Name);
        var now = o.Req.Received / 1_000_000 * 1_000_000;
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        Labels("beta.kubernetes.io/arch", "amd64", "beta.kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64", "kubernetes.io/hostname", node.Name,
            "kubernetes.io/os", "linux", node.ControlPlane ? "node-role.kubernetes.io/control-plane" : "node-role.kubernetes.io/worker", "",
            "topology.kubernetes.io/zone", "zone-" + (char)('a' + Array.IndexOf(Catalog.Nodes, node) % 3));
        _w.Obj("annotations");
        _w.Str("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///var/run/containerd/containerd.sock");
        _w.Str("node.alpha.kubernetes.io/ttl", "0");
        _w.Str("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        _w.EndObject();
        _w.EndObject();
        _w.Obj("spec");
        _w.Str("podCIDR", "10.244." + (Array.IndexOf(Catalog.Nodes, node) + 1) + ".0/24");
        _w.RawProp("podCIDRs", "[\"10.244." + (Array.IndexOf(Catalog.Nodes, node) + 1) + ".0/24\"]");
        if (node.ControlPlane)
        {
            _w.RawProp("taints", "[{\"key\":\"node-role.kubernetes.io/control-plane\",\"effect\":\"NoSchedule\"}]");
        }

        _w.EndObject();
        _w.Obj("status");
        _w.RawProp("capacity", "{\"cpu\":\"8\",\"ephemeral-storage\":\"101430960Ki\",\"hugepages-2Mi\":\"0\",\"memory\":\"32863032Ki\",\"pods\":\"110\"}");
        _w.RawProp("allocatable", "{\"cpu\":\"8\",\"ephemeral-storage\":\"93478772582\",\"hugepages-2Mi\":\"0\",\"memory\":\"32760632Ki\",\"pods\":\"110\"}");
        _w.Arr("conditions");
        foreach (var (type, status, reason, message) in s_nodeConditions)
        {
            _w.StartObject();
            _w.Str("type", type);
            _w.Str("status", status);
            _w.Time("lastHeartbeatTime", now);
            _w.Time("lastTransitionTime", created + 30_000_000);
            _w.Str("reason", reason);
            _w.Str("message", message);
            _w.EndObject();
        }
        _w.EndArray();
        _w.RawProp("addresses", "[{\"type\":\"InternalIP\",\"address\":\"" + node.Ip + "\"},{\"type\":\"Hostname\",\"address\":\"" + node.Name + "\"}]");
        _w.RawProp("daemonEndpoints", "{\"kubeletEndpoint\":{\"Port\":10250}}");
        _w.Obj("nodeInfo");
        _w.Str("machineID", Ids.StableHex(node.Name + "/machine", 32));
        _w.Str("systemUUID", Ids.StableUuid(node.Name + "/system"));
        _w.Str("bootID", Ids.StableUuid(node.Name + "/boot"));
        _w.Str("kernelVersion", "6.8.0-49-generic");
        _w.Str("osImage", "Ubuntu 24.04.1 LTS");
        _w.Str("containerRuntimeVersion", "containerd://1.7.22");
        _w.Str("kubeletVersion", Catalog.KubeVersion);
        _w.Str("kubeProxyVersion", "");
        _w.Str("operatingSystem", "linux");
        _w.Str("architecture", "amd64");
        _w.EndObject();
        _w.Arr("images");
        var count = 2 + (int)(Ids.Hash(node.Name) % 3);
        for (var i = 0; i < count; i++)
        {
            var image = Catalog.Workloads[(i * 5 + Array.IndexOf(Catalog.Nodes, node)) % Catalog.Workloads.Length].Image;
            _w.StartObject();
            _w.StrArr("names", image.Split(':')[0] + "@sha256:" + Ids.StableHex(image, 64), image);
            _w.Num("sizeBytes", 20_000_000 + (long)(Ids.Hash(image) % 180_000_000));
            _w.EndObject();
        }
        _w.EndArray();
        _w.EndObject();
        _w.EndObject();
    }

    private static readonly (string Type, string Status, string Reason, string Message)[] s_nodeConditions =
    [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ];
}
