using System.Globalization;
using System.Text;

namespace KubeAudit.LogGenerator;

/// <summary>ConfigMaps, Secrets, Leases, Namespaces, ServiceAccounts, Services and endpoints, RBAC bindings.</summary>
internal sealed partial class Bodies
{
    // The cluster CA, the same in every event (from its own fixed seed, not the stream's Random).
    private static readonly string s_caCert = Pem(new Random(7), 780);

    private static string Pem(Random rnd, int bytes)
    {
        var b64 = Ids.RandomBase64(rnd, bytes);
        var sb = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
        for (var i = 0; i < b64.Length; i += 64)
        {
            sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        }

        return sb.Append("-----END CERTIFICATE-----\n").ToString();
    }

    private void ConfigMap(Obj o)
    {
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        var app = o.Req.Workload?.Name ?? "app";
        if (o.Name == "kube-root-ca.crt")
        {
            _w.Obj("annotations");
            _w.Str("kubernetes.io/description", "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.");
            _w.EndObject();
        }
        else
        {
            Labels("app.kubernetes.io/name", app);
        }

        if (o.Managed && !o.Request)
        {
            _w.RawProp("managedFields", "[{\"manager\":\"argocd-controller\",\"operation\":\"Apply\",\"apiVersion\":\"v1\",\"time\":\"2025-12-19T16:42:10Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\"f:application.yaml\":{},\"f:logback.xml\":{}},\"f:metadata\":{\"f:labels\":{\"f:app.kubernetes.io/name\":{}}}}}]");
        }

        _w.EndObject();
        _w.Obj("data");
        switch (o.Name)
        {
            case "kube-root-ca.crt":
                _w.Str("ca.crt", s_caCert);
                break;
            case "coredns":
                _w.Str("Corefile", ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n");
                break;
            default:
                if (o.Name.EndsWith("feature-flags", StringComparison.Ordinal))
                {
                    _w.Str("flags.json", "{\"checkout.v2\":{\"enabled\":true,\"rollout\":25},\"search.semantic\":{\"enabled\":false},\"cart.persist\":{\"enabled\":true,\"rollout\":100}}");
                    break;
                }
                _w.Str("application.yaml", "server:\n  port: 8080\n  shutdown: graceful\nspring:\n  datasource:\n    url: jdbc:postgresql://postgres." + o.Ns + ".svc:5432/" + app.Replace('-', '_') + "?sslmode=require&connectTimeout=5\n  jpa:\n    open-in-view: false\nmanagement:\n  endpoints:\n    web:\n      exposure:\n        include: health,prometheus\n");
                _w.Str("logback.xml", "<configuration>\n  <appender name=\"JSON\" class=\"ch.qos.logback.core.ConsoleAppender\">\n    <encoder class=\"net.logstash.logback.encoder.LogstashEncoder\"/>\n  </appender>\n  <root level=\"INFO\"><appender-ref ref=\"JSON\"/></root>\n</configuration>\n");
                break;
        }
        _w.EndObject();
        _w.EndObject();
    }

    private void Secret(Obj o)
    {
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        string type;
        if (o.Name.StartsWith("sh.helm.release", StringComparison.Ordinal))
        {
            Labels("modifiedAt", "1767000000", "name", o.Req.Workload?.Name ?? "app", "owner", "helm", "status", "deployed", "version", o.Name[(o.Name.LastIndexOf('v') + 1)..]);
            _w.EndObject();
            _w.Obj("data");
            _w.Str("release", Ids.RandomBase64(_rnd, 1400));
            type = "helm.sh/release.v1";
        }
        else if (o.Name.EndsWith("-tls", StringComparison.Ordinal) || o.Name.EndsWith("-ca", StringComparison.Ordinal))
        {
            _w.Obj("annotations");
            _w.Str("cert-manager.io/certificate-name", o.Name);
            _w.Str("cert-manager.io/common-name", (o.Req.Workload?.Name ?? "app") + "." + o.Ns + ".svc");
            _w.Str("cert-manager.io/issuer-kind", "ClusterIssuer");
            _w.Str("cert-manager.io/issuer-name", "letsencrypt-prod");
            _w.EndObject();
            _w.EndObject();
            _w.Obj("data");
            _w.Str("ca.crt", "");
            _w.Str("tls.crt", Ids.RandomBase64(_rnd, 900));
            _w.Str("tls.key", Ids.RandomBase64(_rnd, 160));
            type = "kubernetes.io/tls";
        }
        else
        {
            _w.EndObject();
            _w.Obj("data");
            _w.Str("password", Ids.RandomBase64(_rnd, 24));
            _w.Str("url", Convert.ToBase64String(Encoding.UTF8.GetBytes("postgres://app@postgres." + o.Ns + ".svc:5432/app?sslmode=require")));
            _w.Str("username", "YXBw");
            type = "Opaque";
        }
        _w.EndObject();
        _w.Str("type", type);
        _w.EndObject();
    }

    private void Lease(Obj o)
    {
        var r = o.Req;
        var nodeLease = o.Ns == "kube-node-lease";
        var apiserver = o.Name.StartsWith("apiserver-", StringComparison.Ordinal);
        var renew = r.Received - 100 - _rnd.Next(900);
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        if (apiserver)
        {
            Labels("apiserver.kubernetes.io/identity", "kube-apiserver", "kubernetes.io/hostname", "k8s-cp-" + (Array.IndexOf(Catalog.ApiserverLeases, o.Name) + 1));
        }

        if (nodeLease)
        {
            _w.Arr("ownerReferences");
            _w.StartObject();
            _w.Str("apiVersion", "v1");
            _w.Str("kind", "Node");
            _w.Str("name", o.Name);
            _w.Str("uid", Ids.StableUuid("Node//" + o.Name));
            _w.EndObject();
            _w.EndArray();
            if (o.Managed)
            {
                _w.Arr("managedFields");
                ManagedField("kubelet", "Update", "coordination.k8s.io/v1", r.Received / 1_000_000 * 1_000_000,
                    "{\"f:metadata\":{\"f:ownerReferences\":{\".\":{},\"k:{\\\"uid\\\":\\\"" + Ids.StableUuid("Node//" + o.Name) + "\\\"}\":{}}},\"f:spec\":{\"f:holderIdentity\":{},\"f:leaseDurationSeconds\":{},\"f:renewTime\":{}}}");
                _w.EndArray();
            }
        }
        _w.EndObject();
        _w.Obj("spec");
        var holder = nodeLease ? o.Name : apiserver ? o.Name + "_" + Ids.StableUuid(o.Name + "/holder")
            : o.Name is "kube-controller-manager" or "kube-scheduler" ? "k8s-cp-" + (o.Name == "kube-scheduler" ? 2 : 1) + "_" + Ids.StableUuid(o.Name + "/holder")
            : (r.Pod?.Name ?? o.Name) + "_" + Ids.StableUuid(o.Name + "/holder");
        _w.Str("holderIdentity", holder);
        _w.Num("leaseDurationSeconds", nodeLease ? 40 : apiserver ? 3600 : 15);
        if (!nodeLease)
        {
            _w.MicroTime("acquireTime", Catalog.CreatedMicros(_start, o.Key) + 412_337);
        }

        _w.MicroTime("renewTime", renew);
        if (!nodeLease)
        {
            _w.Num("leaseTransitions", (long)(Ids.Hash(o.Key) % 9));
        }

        _w.EndObject();
        _w.EndObject();
    }

    private void Namespace(Obj o)
    {
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        _w.Obj("labels");
        _w.Str("kubernetes.io/metadata.name", o.Name);
        if (o.Name.StartsWith("app-", StringComparison.Ordinal))
        {
            _w.Str("pod-security.kubernetes.io/enforce", "restricted");
            _w.Str("pod-security.kubernetes.io/enforce-version", "latest");
        }
        _w.EndObject();
        _w.EndObject();
        _w.RawProp("spec", "{\"finalizers\":[\"kubernetes\"]}");
        _w.RawProp("status", "{\"phase\":\"Active\"}");
        _w.EndObject();
    }

    private void ServiceAccount(Obj o)
    {
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        if (o.Name != "default")
        {
            Labels("app.kubernetes.io/name", o.Name, "app.kubernetes.io/part-of", o.Ns);
            _w.Obj("annotations");
            _w.Str("argocd.argoproj.io/tracking-id", o.Ns + ":/ServiceAccount:" + o.Ns + "/" + o.Name);
            _w.EndObject();
        }
        _w.EndObject();
        _w.EndObject();
    }

    private static PodInfo[] EndpointPods(Obj o)
    {
        var wl = o.Req.Workload;
        return wl == null ? [] : Catalog.Pods.Where(p => p.Owner == wl).ToArray();
    }

    private void Endpoints(Obj o)
    {
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        if (o.Name != "kubernetes")
        {
            Labels("app.kubernetes.io/name", o.Req.Workload?.Name ?? o.Name);
            _w.Obj("annotations");
            _w.Str("endpoints.kubernetes.io/last-change-trigger-time", FormatTime(o.Req.Received - 2_000_000));
            _w.EndObject();
        }
        _w.EndObject();
        _w.Arr("subsets");
        _w.StartObject();
        _w.Arr("addresses");
        if (o.Name == "kubernetes")
        {
            foreach (var n in Catalog.Nodes.Where(n => n.ControlPlane)) { _w.StartObject(); _w.Str("ip", n.Ip); _w.EndObject(); }
        }
        else
        {
            foreach (var p in EndpointPods(o))
            {
                _w.StartObject();
                _w.Str("ip", p.Ip);
                _w.Str("nodeName", p.Node);
                TargetRef(p);
                _w.EndObject();
            }
        }
        _w.EndArray();
        var port = o.Name == "kubernetes" ? 6443 : o.Req.Workload?.Port ?? 8080;
        _w.RawProp("ports", "[{\"name\":\"" + (port == 6443 ? "https" : "http") + "\",\"port\":" + port + ",\"protocol\":\"TCP\"}]");
        _w.EndObject();
        _w.EndArray();
        _w.EndObject();
    }

    private void TargetRef(PodInfo p)
    {
        _w.Obj("targetRef");
        _w.Str("kind", "Pod");
        _w.Str("namespace", p.Ns);
        _w.Str("name", p.Name);
        _w.Str("uid", Ids.StableUuid("Pod/" + p.Ns + "/" + p.Name));
        _w.EndObject();
    }

    private void EndpointSlice(Obj o)
    {
        var api = o.Name == "kubernetes";
        var svc = api ? "kubernetes" : o.Req.Workload?.Name ?? "app";
        _w.StartObject();
        TypeMeta(o);
        Meta(o, generateName: api ? null : svc + "-", generation: o.Request && o.Rv == 0 ? 0 : 1 + (long)(Ids.Hash(o.Key) % 60));
        Labels("endpointslice.kubernetes.io/managed-by", api ? "endpointslicemirroring-controller.k8s.io" : "endpointslice-controller.k8s.io", "kubernetes.io/service-name", svc);
        if (!api)
        {
            _w.Obj("annotations");
            _w.Str("endpoints.kubernetes.io/last-change-trigger-time", FormatTime(o.Req.Received - 1_000_000));
            _w.EndObject();
            _w.Arr("ownerReferences");
            OwnerRef("v1", "Service", svc, Ids.StableUuid("Service/" + o.Ns + "/" + svc));
            _w.EndArray();
        }
        _w.EndObject();
        _w.Str("addressType", "IPv4");
        _w.Arr("endpoints");
        if (api)
        {
            foreach (var n in Catalog.Nodes.Where(n => n.ControlPlane))
            {
                _w.Raw("{\"addresses\":[\"" + n.Ip + "\"],\"conditions\":{\"ready\":true}}");
            }
        }
        else
        {
            foreach (var p in EndpointPods(o))
            {
                _w.StartObject();
                _w.StrArr("addresses", p.Ip);
                _w.RawProp("conditions", "{\"ready\":true,\"serving\":true,\"terminating\":false}");
                TargetRef(p);
                _w.Str("nodeName", p.Node);
                _w.Str("zone", "zone-" + (char)('a' + Array.FindIndex(Catalog.Nodes, n => n.Name == p.Node) % 3));
                _w.EndObject();
            }
        }
        _w.EndArray();
        var port = api ? 6443 : o.Req.Workload?.Port ?? 8080;
        _w.RawProp("ports", "[{\"name\":\"" + (api ? "https" : "http") + "\",\"protocol\":\"TCP\",\"port\":" + port + "}]");
        _w.EndObject();
    }

    private void Service(Obj o)
    {
        var api = o.Name == "kubernetes";
        var port = api ? 443 : o.Req.Workload?.Port ?? 8080;
        var ip = api ? "10.96.0.1" : "10.96." + (Ids.Hash(o.Key) % 250) + "." + (Ids.Hash(o.Key + "/ip") % 250 + 2);
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        if (api)
        {
            Labels("component", "apiserver", "provider", "kubernetes");
        }
        else
        {
            Labels("app.kubernetes.io/instance", o.Name, "app.kubernetes.io/managed-by", "argocd", "app.kubernetes.io/name", o.Name);
        }

        _w.EndObject();
        _w.Obj("spec");
        _w.RawProp("ports", "[{\"name\":\"" + (api || port == 443 ? "https" : "http") + "\",\"protocol\":\"TCP\",\"port\":" + port + ",\"targetPort\":" + (api ? 6443 : port) + "}]");
        if (!api)
        {
            _w.RawProp("selector", "{\"app.kubernetes.io/name\":\"" + o.Name + "\"}");
        }

        _w.Str("clusterIP", ip);
        _w.StrArr("clusterIPs", ip);
        _w.Str("type", "ClusterIP");
        _w.Str("sessionAffinity", "None");
        _w.StrArr("ipFamilies", "IPv4");
        _w.Str("ipFamilyPolicy", "SingleStack");
        _w.Str("internalTrafficPolicy", "Cluster");
        _w.EndObject();
        _w.RawProp("status", "{\"loadBalancer\":{}}");
        _w.EndObject();
    }

    private void RoleBinding(Obj o)
    {
        var cluster = o.Res.Kind == "ClusterRoleBinding";
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        _w.EndObject();
        _w.Arr("subjects");
        _w.StartObject();
        if (o.Name.Contains("deployer", StringComparison.Ordinal))
        {
            _w.Str("kind", "ServiceAccount");
            _w.Str("name", "argocd-application-controller");
            _w.Str("namespace", "argocd");
        }
        else
        {
            _w.Str("kind", "Group");
            _w.Str("apiGroup", "rbac.authorization.k8s.io");
            _w.Str("name", o.Name.StartsWith("sre", StringComparison.Ordinal) || o.Name.StartsWith("oncall", StringComparison.Ordinal) ? "sre" : "dev-team");
        }
        _w.EndObject();
        _w.EndArray();
        _w.Obj("roleRef");
        _w.Str("apiGroup", "rbac.authorization.k8s.io");
        _w.Str("kind", "ClusterRole");
        _w.Str("name", o.Name.Contains("admin", StringComparison.Ordinal) ? "cluster-admin" : cluster ? "view" : "edit");
        _w.EndObject();
        _w.EndObject();
    }

    private static string FormatTime(long unixMicros) =>
        GoFormat.ToDateTime(unixMicros).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
