namespace KubeAudit.Core.Tests.Manifests;

/// <summary>Small manifests written for one property each.</summary>
internal static class ManifestFixtures
{
    public static string Corpus(string name) => File.ReadAllText(TestPaths.CorpusFile("manifests", name));

    public const string Kubeadm = "dolittle-kubernetes-bootstrapper-v1.15.3-kube-apiserver.yaml";
    public const string Unsorted = "tsaarni-managed-kubernetes-kubeadm-v1.10.0-kube-apiserver.yaml";
    public const string SingleQuoted = "kubescape-regolibrary-v1.23.3-apiserver-pod.yaml";
    public const string Kops = "kops-nodeup-golden-audit-kube-apiserver.manifest.yaml";
    public const string Json = "kubescape-regolibrary-apiserver-pod-with-audit-policy-file.json";

    /// <summary>A minimal kubeadm-like Pod; <paramref name="flags"/>, <paramref name="mounts"/> and <paramref name="volumes"/> are extra lines.</summary>
    public static string Pod(string flags = "", string mounts = "", string volumes = "", string extraContainer = "") => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: kube-apiserver
          namespace: kube-system
        spec:
          containers:
          - command:
            - kube-apiserver
            - --advertise-address=10.0.0.1
        {{flags}}    - --secure-port=6443
            image: registry.k8s.io/kube-apiserver:v1.30.0
            name: kube-apiserver
            volumeMounts:
            - mountPath: /etc/kubernetes/pki
              name: k8s-certs
              readOnly: true
        {{mounts}}{{extraContainer}}  hostNetwork: true
          volumes:
          - hostPath:
              path: /etc/kubernetes/pki
              type: DirectoryOrCreate
            name: k8s-certs
        {{volumes}}status: {}

        """;

    public const string LogFileMountFlags = """
            - --audit-log-path=/var/log/kubernetes/audit/audit.log
            - --audit-policy-file=/etc/kubernetes/audit-policy.yaml

        """;

    public const string LogFileMount = """
            - mountPath: /var/log/kubernetes/audit/audit.log
              name: audit-log-file
            - mountPath: /etc/kubernetes/audit-policy.yaml
              name: audit
              readOnly: true

        """;

    public const string LogFileVolume = """
          - hostPath:
              path: /var/log/kubernetes/audit/audit.log
              type: FileOrCreate
            name: audit-log-file
          - hostPath:
              path: /etc/kubernetes/audit-policy.yaml
              type: File
            name: audit

        """;

    public const string ValidPolicy = """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        rules:
        - level: Metadata

        """;
}
