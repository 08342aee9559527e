using KubeAudit.Core.Detections;
using KubeAudit.Core.Detections.BuiltIn;
using static KubeAudit.Core.Tests.Detections.DetectionFixtures;

namespace KubeAudit.Core.Tests.Detections;

/// <summary>Each built-in rule fires on a positive event (a Falco trace where one exists) and not on a near miss.</summary>
public class BuiltInRuleTests
{
    private static readonly object s_pod = new { kind = "Pod", apiVersion = "v1", spec = new { containers = new[] { new { name = "app", image = "nginx" } }, volumes = new[] { new { name = "logs", hostPath = new { path = "/var/log/app" } } } } };
    private static readonly object s_nodePort = new { kind = "Service", spec = new { type = "ClusterIP" } };

    /// <summary>Rule name → events that must trigger it.</summary>
    public static TheoryData<string, string> Positives => new()
    {
        { "Pod.Exec", "falco:exec_pod.json" },
        { "Pod.Attach", "falco:attach_pod.json" },
        { "Pod.PortForward", "portforward" },
        { "Pod.EphemeralContainer", "ephemeral" },
        { "Pod.Privileged", "falco:create_nginx_pod_privileged.json" },
        { "Pod.Privileged", "falco:create_nginx_pod_privileged_2nd_container.json" },
        { "Pod.Privileged", "falco:create_nginx_pod_no_secctx_1st_container_privileged_2nd_container.json" },
        { "Pod.HostNamespace", "falco:create_nginx_pod_hostnetwork.json" },
        { "Pod.SensitiveHostPath", "falco:create_nginx_pod_sensitive_mount.json" },
        { "Pod.SensitiveHostPath", "falco:create_nginx_pod_sensitive_mount_2nd_container.json" },
        { "Pod.CreatedInKubeNamespace", "falco:create_pod_kube_system_namespace.json" },
        { "Pod.CreatedInKubeNamespace", "falco:create_pod_kube_public_namespace.json" },
        { "Pod.CreatedInKubeNamespace", "pod-kube-system-sidecar" },
        { "ConfigMap.Credentials", "falco:create_configmap_sensitive_values.json" },
        { "ConfigMap.Credentials", "configmap-aws-key" },
        { "Secret.ReadByUnusualIdentity", "secret-get" },
        { "Secret.ListAllNamespaces", "secret-list-all" },
        { "Rbac.ClusterAdminBinding", "falco:attach_cluster_admin_role.json" },
        { "Rbac.WildcardRole", "falco:create_cluster_role_wildcard_resources.json" },
        { "Rbac.WildcardRole", "falco:create_cluster_role_wildcard_verbs.json" },
        { "Rbac.PodExecRole", "falco:create_cluster_role_pod_exec.json" },
        { "Rbac.SystemRoleModified", "falco:delete_cluster_role_kube_aggregator.json" },
        { "Rbac.SystemRoleModified", "falco:modify_cluster_role_node_problem_detector.json" },
        { "ServiceAccount.TokenRequested", "token" },
        { "ServiceAccount.CreatedInKubeNamespace", "falco:create_serviceaccount_kube_system_namespace.json" },
        { "ServiceAccount.CreatedInKubeNamespace", "falco:create_serviceaccount_kube_public_namespace.json" },
        { "Auth.AnonymousAllowed", "falco:anonymous_creates_namespace_foo.json" },
        { "Auth.FailureBurst", "burst" },
        { "Evidence.EventsDeleted", "events-deleted" },
        { "Node.Proxy", "node-proxy-exec" },
        { "Workload.Proxy", "service-proxy" },
        { "Impersonation", "impersonation" },
        { "Admission.WebhookCreated", "webhook" },
        { "KubeSystem.CronJob", "cronjob-kube-system" },
        { "KubeSystem.DaemonSet", "daemonset-kube-system" },
        { "Namespace.Deleted", "falco:delete_namespace_foo.json" },
        { "Service.NodePort", "falco:create_nginx_service_nodeport.json" },
    };

    /// <summary>Rule name → near misses that must not trigger it.</summary>
    public static TheoryData<string, string> Negatives => new()
    {
        { "Pod.Exec", "falco:attach_pod.json" },
        { "Pod.Exec", "exec-forbidden" },
        { "Pod.Attach", "falco:exec_pod.json" },
        { "Pod.PortForward", "portforward-forbidden" },
        { "Pod.EphemeralContainer", "ephemeral-get" },
        { "Pod.Privileged", "falco:create_nginx_pod_unprivileged.json" },
        { "Pod.HostNamespace", "falco:create_nginx_pod_nohostnetwork.json" },
        { "Pod.SensitiveHostPath", "falco:create_nginx_pod_unsensitive_mount.json" },
        { "Pod.SensitiveHostPath", "pod-harmless-hostpath" },
        { "Pod.CreatedInKubeNamespace", "falco:create_nginx_pod_unprivileged.json" },
        { "Pod.CreatedInKubeNamespace", "pod-kube-system-coredns" },
        { "Pod.CreatedInKubeNamespace", "pod-kube-system-eks" },
        { "ConfigMap.Credentials", "falco:create_configmap_no_sensitive_values.json" },
        { "ConfigMap.Credentials", "falco:create_configmap.json" },
        { "Secret.ReadByUnusualIdentity", "secret-get-controller" },
        { "Secret.ReadByUnusualIdentity", "falco:create_secret.json" },
        { "Secret.ListAllNamespaces", "secret-list-namespace" },
        { "Rbac.ClusterAdminBinding", "falco:create_clusterrolebinding.json" },
        { "Rbac.WildcardRole", "falco:create_clusterrole.json" },
        { "Rbac.WildcardRole", "falco:create_cluster_role_write_privileges.json" },
        { "Rbac.PodExecRole", "falco:create_clusterrole.json" },
        { "Rbac.SystemRoleModified", "falco:delete_clusterrole.json" },
        { "ServiceAccount.TokenRequested", "token-kubelet" },
        { "ServiceAccount.CreatedInKubeNamespace", "falco:create_serviceaccount.json" },
        { "Auth.AnonymousAllowed", "falco:minikube_creates_namespace_foo.json" },
        { "Auth.AnonymousAllowed", "anonymous-healthz" },
        { "Auth.FailureBurst", "burst-short" },
        { "Auth.FailureBurst", "burst-slow" },
        { "Evidence.EventsDeleted", "events-deleted-controller" },
        { "Node.Proxy", "node-proxy-metrics" },
        { "Workload.Proxy", "service-get" },
        { "Impersonation", "secret-get" },
        { "Admission.WebhookCreated", "webhook-controller" },
        { "KubeSystem.CronJob", "cronjob-default" },
        { "KubeSystem.DaemonSet", "daemonset-controller" },
        { "Namespace.Deleted", "namespace-deleted-controller" },
        { "Namespace.Deleted", "falco:some-user_creates_namespace_foo.json" },
        { "Service.NodePort", "falco:create_nginx_service_nonodeport.json" },
        { "Service.NodePort", "service-clusterip" },
    };

    [Theory]
    [MemberData(nameof(Positives))]
    public void Rule_fires_on_positive(string rule, string source)
    {
        var events = Load(source);
        Assert.NotEmpty(events);
        Assert.Contains(rule, Fired(events));
    }

    [Theory]
    [MemberData(nameof(Negatives))]
    public void Rule_does_not_fire_on_near_miss(string rule, string source)
    {
        var events = Load(source);
        Assert.NotEmpty(events);
        Assert.DoesNotContain(rule, Fired(events));
    }

    [Fact]
    public void Every_built_in_rule_has_a_positive_and_a_negative_test()
    {
        var names = BuiltInRules.Create().Select(r => r.Info.Name).ToList();
        Assert.True(names.Count >= 20, $"only {names.Count} built-in rules");
        Assert.Equal(names.Count, names.Distinct().Count());
        var positives = Positives.Select(row => (string)row[0]).ToHashSet();
        var negatives = Negatives.Select(row => (string)row[0]).ToHashSet();
        Assert.Equal([], names.Except(positives).ToList());
        Assert.Equal([], names.Except(negatives).ToList());
    }

    [Fact]
    public void A_privileged_container_without_an_image_is_described_without_an_empty_image()
    {
        var pod = new { kind = "Pod", spec = new { containers = new object[] { new { name = "agent", securityContext = new { privileged = true } }, new { name = "web", image = "nginx", securityContext = new { privileged = true } } } } };
        var finding = new ThreatEngine(BuiltInRules.Create()).Inspect([Event("create", "pods", ns: "kube-system", name: "network-agent", code: 201, requestObject: pod)])
            .Single(f => f.Rule == "Pod.Privileged");
        Assert.Equal("created pod kube-system/network-agent with privileged container agent, web (image nginx)", finding.Description);
    }

    [Fact]
    public void Every_configmap_of_the_falco_sensitive_trace_is_found()
    {
        var findings = new ThreatEngine(BuiltInRules.Create()).Inspect(Falco("create_configmap_sensitive_values.json")).ToList();
        Assert.Equal(6, findings.Count(f => f.Rule == "ConfigMap.Credentials"));
        Assert.All(findings, f => Assert.DoesNotContain("MY-KEY", f.Description));
    }

    [Fact]
    public void Built_in_rules_all_have_descriptions_and_known_techniques()
    {
        foreach (var rule in BuiltInRules.Create())
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Info.Description));
            Assert.False(string.IsNullOrWhiteSpace(rule.Info.Condition));
            if (rule.Info.Technique is { } technique)
            {
                Assert.NotNull(MitreTechniques.NameOf(technique));
                Assert.Equal(MitreTechniques.NameOf(technique), rule.Info.TechniqueName);
            }
        }
    }

    // A Pod body with one container per image.
    private static object KubeSystemPod(params string[] images) =>
        new { kind = "Pod", apiVersion = "v1", spec = new { containers = images.Select((image, i) => new { name = "c" + i, image }).ToArray() } };

    internal static List<AuditEvent> Load(string source)
    {
        if (source.StartsWith("falco:", StringComparison.Ordinal))
        {
            return Falco(source["falco:".Length..]);
        }

        var t0 = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        return source switch
        {
            "portforward" => [Event("create", "pods", "portforward", "app-shop", "cart-0", code: 101, stage: "ResponseStarted")],
            "portforward-forbidden" => [Event("create", "pods", "portforward", "app-shop", "cart-0", code: 403)],
            "exec-forbidden" => [Event("create", "pods", "exec", "app-shop", "cart-0", code: 403, uri: "/api/v1/namespaces/app-shop/pods/cart-0/exec?command=sh")],
            "ephemeral" => [Event("patch", "pods", "ephemeralcontainers", "app-shop", "cart-0")],
            "ephemeral-get" => [Event("get", "pods", "ephemeralcontainers", "app-shop", "cart-0")],
            "pod-harmless-hostpath" => [Event("create", "pods", null, "app-shop", "logger", code: 201, requestObject: s_pod)],
            "pod-kube-system-coredns" => [Event("create", "pods", null, "kube-system", "coredns-7db6d8ff4d-x2x9k", code: 201, user: "system:serviceaccount:kube-system:replicaset-controller", requestObject: KubeSystemPod("registry.k8s.io/coredns/coredns:v1.11.1"))],
            "pod-kube-system-eks" => [Event("create", "pods", null, "kube-system", "aws-node-7xkq2", code: 201, user: "system:serviceaccount:kube-system:daemon-set-controller", requestObject: KubeSystemPod("602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.3", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.31.0"))],
            "pod-kube-system-sidecar" => [Event("create", "pods", null, "kube-system", "coredns-7db6d8ff4d-x2x9k", code: 201, user: "system:serviceaccount:kube-system:replicaset-controller", requestObject: KubeSystemPod("registry.k8s.io/coredns/coredns:v1.11.1", "docker.io/alpine/socat:latest"))],
            "configmap-aws-key" => [Event("create", "configmaps", null, "app-shop", "settings", code: 201, requestObject: new { kind = "ConfigMap", data = new Dictionary<string, string> { ["creds"] = "id=AKIAIOSFODNN7EXAMPLE" } })],
            "secret-get" => [Event("get", "secrets", null, "app-payments", "stripe")],
            "secret-get-controller" => [Event("get", "secrets", null, "kube-system", "bootstrap-token-abcdef", user: "system:kube-controller-manager")],
            "secret-list-all" => [Event("list", "secrets", user: "mallory", uri: "/api/v1/secrets?limit=500")],
            "secret-list-namespace" => [Event("list", "secrets", null, "app-shop", user: "mallory")],
            "token" => [Event("create", "serviceaccounts", "token", "kube-system", "replicaset-controller", code: 201)],
            "token-kubelet" => [Event("create", "serviceaccounts", "token", "app-shop", "cart", code: 201, user: "system:node:k8s-worker-1", groups: ["system:nodes", "system:authenticated"])],
            "anonymous-healthz" => [Event("get", null, user: "system:anonymous", groups: ["system:unauthenticated"], uri: "/healthz")],
            "burst" => Enumerable.Range(0, 10).Select(i => Event("list", "secrets", null, "default", user: "mallory", code: 403, time: t0.AddSeconds(3 * i))).ToList(),
            "burst-short" => Enumerable.Range(0, 9).Select(i => Event("list", "secrets", null, "default", user: "mallory", code: 403, time: t0.AddSeconds(3 * i))).ToList(),
            "burst-slow" => Enumerable.Range(0, 12).Select(i => Event("list", "secrets", null, "default", user: "mallory", code: 403, time: t0.AddMinutes(i))).ToList(),
            "events-deleted" => [Event("deletecollection", "events", null, "app-payments")],
            "events-deleted-controller" => [Event("deletecollection", "events", null, "old-ns", user: "system:serviceaccount:kube-system:namespace-controller")],
            "node-proxy-exec" => [Event("create", "nodes", "proxy", null, "k8s-worker-3", uri: "/api/v1/nodes/k8s-worker-3/proxy/run/app-shop/cart-0/cart?cmd=id")],
            "node-proxy-metrics" => [Event("get", "nodes", "proxy", null, "k8s-worker-3", user: "system:serviceaccount:monitoring:prometheus-k8s", uri: "/api/v1/nodes/k8s-worker-3/proxy/metrics/cadvisor")],
            "service-proxy" => [Event("get", "services", "proxy", "monitoring", "grafana:3000")],
            "service-get" => [Event("get", "services", null, "monitoring", "grafana")],
            "impersonation" => [Event("get", "secrets", null, "app-payments", "stripe", user: "kubernetes-admin", impersonate: "system:serviceaccount:app-payments:ledger")],
            "webhook" => [Event("create", "mutatingwebhookconfigurations", null, null, "inject", code: 201, apiGroup: "admissionregistration.k8s.io")],
            "webhook-controller" => [Event("create", "validatingwebhookconfigurations", null, null, "policy", code: 201, apiGroup: "admissionregistration.k8s.io", user: "system:serviceaccount:kube-system:generic-garbage-collector"), Event("patch", "mutatingwebhookconfigurations", null, null, "inject", apiGroup: "admissionregistration.k8s.io")],
            "cronjob-kube-system" => [Event("create", "cronjobs", null, "kube-system", "cleanup", code: 201, apiGroup: "batch")],
            "cronjob-default" => [Event("create", "cronjobs", null, "default", "cleanup", code: 201, apiGroup: "batch")],
            "daemonset-kube-system" => [Event("create", "daemonsets", null, "kube-system", "node-agent", code: 201, apiGroup: "apps")],
            "daemonset-controller" => [Event("update", "daemonsets", null, "kube-system", "kube-proxy", apiGroup: "apps", user: "system:serviceaccount:kube-system:daemon-set-controller")],
            "namespace-deleted-controller" => [Event("delete", "namespaces", null, null, "old-ns", user: "system:serviceaccount:kube-system:namespace-controller")],
            "service-clusterip" => [Event("create", "services", null, "default", "web", code: 201, requestObject: s_nodePort)],
            _ => throw new ArgumentException("no fixture " + source),
        };
    }
}
