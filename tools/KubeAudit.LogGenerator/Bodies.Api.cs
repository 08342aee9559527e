using System.Text;

namespace KubeAudit.LogGenerator;

/// <summary>Events, review and token APIs, connect options, patches, DeleteOptions and Status bodies.</summary>
internal sealed partial class Bodies
{
    private static readonly (string Reason, string Type, string Message)[] s_podEvents =
    [
        ("Pulled", "Normal", "Container image \"$IMAGE\" already present on machine"),
        ("Created", "Normal", "Created container: $CTR"),
        ("Started", "Normal", "Started container $CTR"),
        ("Killing", "Normal", "Stopping container $CTR"),
        ("Unhealthy", "Warning", "Readiness probe failed: Get \"http://$IP:$PORT/readyz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"),
        ("BackOff", "Warning", "Back-off restarting failed container $CTR in pod $POD_$NS($UID)"),
    ];

    private const string JwtHeader = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjNfZ1JkSDh2bFBTZ2tQUmJ5bmJ0Y2hfRnlYdXVWZ0hBbVpRb0VsNTd0bWsifQ";

    /// <summary>A JWT-shaped bound service account token (random payload and signature).</summary>
    private string Jwt() => JwtHeader + "." + Ids.RandomBase64(_rnd, 520, url: true) + "." + Ids.RandomBase64(_rnd, 256, url: true);

    private void Event(Obj o)
    {
        var r = o.Req;
        var pod = r.Pod ?? Catalog.PickPodIn(_rnd, o.Ns) ?? Catalog.Pods[0];
        var (reason, type, template) = s_podEvents[_rnd.Next(s_podEvents.Length)];
        var podUid = Ids.StableUuid("Pod/" + pod.Ns + "/" + pod.Name);
        var message = template.Replace("$IMAGE", pod.Image).Replace("$CTR", pod.Container).Replace("$IP", pod.Ip)
            .Replace("$PORT", Rv(pod.Owner?.Port ?? 8080))
            .Replace("$POD", pod.Name).Replace("$NS", pod.Ns).Replace("$UID", podUid);
        var now = r.Received;
        var v1 = o.Res.Group.Length > 0;
        _w.StartObject();
        TypeMeta(o);
        Meta(o);
        _w.EndObject();
        if (v1)
        {
            // events.k8s.io/v1 from the scheduler
            _w.MicroTime("eventTime", now - 1_500);
            _w.Str("reportingController", "default-scheduler");
            _w.Str("reportingInstance", "default-scheduler-k8s-cp-2");
            _w.Str("action", "Binding");
            _w.Str("reason", "Scheduled");
            _w.Obj("regarding");
            _w.Str("kind", "Pod"); _w.Str("namespace", pod.Ns); _w.Str("name", pod.Name); _w.Str("uid", podUid);
            _w.Str("apiVersion", "v1"); _w.Str("resourceVersion", Rv(r.PrevRv));
            _w.EndObject();
            _w.Str("note", "Successfully assigned " + pod.Ns + "/" + pod.Name + " to " + pod.Node);
            _w.Str("type", "Normal");
            _w.EmptyObj("deprecatedSource");
            _w.NullProp("deprecatedFirstTimestamp");
            _w.NullProp("deprecatedLastTimestamp");
            _w.EndObject();
            return;
        }
        _w.Obj("involvedObject");
        _w.Str("kind", "Pod"); _w.Str("namespace", pod.Ns); _w.Str("name", pod.Name); _w.Str("uid", podUid);
        _w.Str("apiVersion", "v1"); _w.Str("resourceVersion", Rv(r.PrevRv)); _w.Str("fieldPath", "spec.containers{" + pod.Container + "}");
        _w.EndObject();
        _w.Str("reason", reason);
        _w.Str("message", message);
        _w.Obj("source"); _w.Str("component", "kubelet"); _w.Str("host", pod.Node); _w.EndObject();
        _w.Time("firstTimestamp", now - (type == "Warning" ? 600_000_000 : 0));
        _w.Time("lastTimestamp", now);
        _w.Num("count", type == "Warning" ? 2 + _rnd.Next(30) : 1);
        _w.Str("type", type);
        _w.NullProp("eventTime");
        _w.Str("reportingComponent", "kubelet");
        _w.Str("reportingInstance", pod.Node);
        _w.EndObject();
    }

    private void TokenReview(Request r, bool response)
    {
        _w.StartObject();
        _w.Str("kind", "TokenReview");
        _w.Str("apiVersion", "authentication.k8s.io/v1");
        _w.Obj("metadata"); _w.NullProp("creationTimestamp"); _w.EndObject();
        _w.Obj("spec"); _w.Str("token", Jwt()); _w.EndObject();
        _w.Obj("status");
        if (!response)
        {
            _w.EmptyObj("user");
        }
        else
        {
            var pod = Catalog.PickPod(_rnd, null);
            _w.Flag("authenticated", true);
            _w.Obj("user");
            _w.Str("username", "system:serviceaccount:" + pod.Ns + ":" + pod.Sa);
            _w.Str("uid", Ids.StableUuid("sa/" + pod.Ns + "/" + pod.Sa));
            _w.StrArr("groups", "system:serviceaccounts", "system:serviceaccounts:" + pod.Ns, "system:authenticated");
            _w.Obj("extra");
            _w.StrArr("authentication.kubernetes.io/credential-id", "JTI=" + Ids.StableUuid("jti/" + pod.Name));
            _w.StrArr("authentication.kubernetes.io/node-name", pod.Node);
            _w.StrArr("authentication.kubernetes.io/node-uid", Ids.StableUuid("Node//" + pod.Node));
            _w.StrArr("authentication.kubernetes.io/pod-name", pod.Name);
            _w.StrArr("authentication.kubernetes.io/pod-uid", Ids.StableUuid("Pod/" + pod.Ns + "/" + pod.Name));
            _w.EndObject();
            _w.EndObject();
            _w.StrArr("audiences", "https://kubernetes.default.svc." + Catalog.ClusterDomain);
        }
        _w.EndObject();
        _w.EndObject();
    }

    private void AccessReview(Request r, bool response)
    {
        var kubelet = r.Actor.Node != null;
        var user = kubelet ? "system:serviceaccount:monitoring:prometheus-k8s" : _rnd.Next(2) == 0 ? "bob@example.com" : "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
        _w.StartObject();
        _w.Str("kind", "SubjectAccessReview");
        _w.Str("apiVersion", "authorization.k8s.io/v1");
        _w.Obj("metadata"); _w.NullProp("creationTimestamp"); _w.EndObject();
        _w.Obj("spec");
        _w.Obj("resourceAttributes");
        if (kubelet)
        {
            _w.Str("verb", "get"); _w.Str("version", "v1"); _w.Str("resource", "nodes"); _w.Str("subresource", "metrics"); _w.Str("name", r.Actor.Node!);
        }
        else
        {
            _w.Str("namespace", Catalog.AppNamespaces[_rnd.Next(3)]); _w.Str("verb", "list"); _w.Str("group", "metrics.k8s.io"); _w.Str("version", "v1beta1"); _w.Str("resource", "pods");
        }
        _w.EndObject();
        _w.Str("user", user);
        if (user.StartsWith("bob", StringComparison.Ordinal))
        {
            _w.StrArr("groups", "sre", "system:authenticated");
        }
        else
        {
            var ns = user.Split(':')[2];
            _w.StrArr("groups", "system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated");
            _w.Str("uid", Ids.StableUuid("sa/" + ns + "/" + user.Split(':')[3]));
        }
        _w.EndObject();
        _w.Obj("status");
        _w.Flag("allowed", response);
        if (response)
        {
            _w.Str("reason", kubelet ? Actors.Crb("prometheus-k8s", "prometheus-k8s", "ServiceAccount", "prometheus-k8s/monitoring")
                : user.StartsWith("bob", StringComparison.Ordinal) ? Actors.Crb("sre-view", "view", "Group", "sre")
                : Actors.Crb("system:controller:horizontal-pod-autoscaler", "system:controller:horizontal-pod-autoscaler", "ServiceAccount", "horizontal-pod-autoscaler/kube-system"));
        }
        _w.EndObject();
        _w.EndObject();
    }

    private void TokenRequest(Request r, bool response)
    {
        var pod = r.Pod;
        _w.StartObject();
        _w.Str("kind", "TokenRequest");
        _w.Str("apiVersion", "authentication.k8s.io/v1");
        _w.Obj("metadata");
        if (response)
        {
            _w.Str("name", r.Name ?? "default");
            _w.Str("namespace", r.Ns ?? "default");
            _w.Time("creationTimestamp", r.Received);
        }
        else
        {
            _w.NullProp("creationTimestamp");
        }

        _w.EndObject();
        _w.Obj("spec");
        _w.StrArr("audiences", "https://kubernetes.default.svc." + Catalog.ClusterDomain);
        _w.Num("expirationSeconds", 3607);
        if (pod != null)
        {
            _w.Obj("boundObjectRef");
            _w.Str("kind", "Pod"); _w.Str("apiVersion", "v1"); _w.Str("name", pod.Name); _w.Str("uid", Ids.StableUuid("Pod/" + pod.Ns + "/" + pod.Name));
            _w.EndObject();
        }
        _w.EndObject();
        _w.Obj("status");
        _w.Str("token", response ? Jwt() : "");
        if (response)
        {
            _w.Time("expirationTimestamp", r.Received + 3_607_000_000);
        }
        else
        {
            _w.NullProp("expirationTimestamp");
        }

        _w.EndObject();
        _w.EndObject();
    }

    private void Binding(Request r)
    {
        var pod = r.Pod ?? Catalog.Pods[0];
        _w.StartObject();
        _w.Str("kind", "Binding");
        _w.Str("apiVersion", "v1");
        _w.Obj("metadata");
        _w.Str("name", pod.Name); _w.Str("namespace", pod.Ns); _w.Str("uid", Ids.StableUuid("Pod/" + pod.Ns + "/" + pod.Name)); _w.NullProp("creationTimestamp");
        _w.EndObject();
        _w.Obj("target"); _w.Str("kind", "Node"); _w.Str("name", pod.Node); _w.EndObject();
        _w.EndObject();
    }

    private void ExecOptions(Request r)
    {
        _w.StartObject();
        _w.Str("kind", "PodExecOptions");
        _w.Str("apiVersion", "v1");
        _w.Flag("stdin", true);
        _w.Flag("stdout", true);
        _w.Flag("tty", true);
        _w.Str("container", r.Pod?.Container ?? "app");
        _w.StrArr("command", "/bin/sh");
        _w.EndObject();
    }

    private void Eviction(Request r)
    {
        _w.StartObject();
        _w.Str("kind", "Eviction");
        _w.Str("apiVersion", "policy/v1");
        _w.Obj("metadata"); _w.Str("name", r.Name ?? "app"); _w.Str("namespace", r.Ns ?? "default"); _w.NullProp("creationTimestamp"); _w.EndObject();
        _w.EndObject();
    }

    private void DeleteOptions(Request r)
    {
        _w.StartObject();
        _w.Str("kind", "DeleteOptions");
        _w.Str("apiVersion", "v1");
        if (r.Actor.Username.EndsWith("garbage-collector", StringComparison.Ordinal) || r.Actor.Username.EndsWith("replicaset-controller", StringComparison.Ordinal))
        {
            _w.Obj("preconditions");
            _w.Str("uid", Ids.StableUuid(r.Res!.Kind + "/" + r.Ns + "/" + r.Name));
            _w.EndObject();
        }
        if (r.Actor.IsHuman || r.Actor.Username.EndsWith("garbage-collector", StringComparison.Ordinal))
        {
            _w.Str("propagationPolicy", "Background");
        }

        _w.EndObject();
    }

    /// <summary>The Status a failed request returns (what RequestResponse logs as responseObject).</summary>
    private void StatusObject(Request r)
    {
        _w.StartObject();
        _w.Str("kind", "Status");
        _w.Str("apiVersion", "v1");
        WriteStatusFields(_w, r);
        _w.EndObject();
    }

    private void SuccessStatus(Request r)
    {
        _w.StartObject();
        _w.Str("kind", "Status");
        _w.Str("apiVersion", "v1");
        _w.EmptyObj("metadata");
        _w.Str("status", "Success");
        if (r.Verb == "delete")
        {
            StatusDetails(_w, r, r.Name, r.Res!.Name, uid: true);
        }

        _w.Num("code", r.Code);
        _w.EndObject();
    }

    /// <summary>metav1.Status fields after kind/apiVersion; shared with the event's responseStatus.</summary>
    public static void WriteStatusFields(GoJsonWriter w, Request r)
    {
        w.EmptyObj("metadata");
        if (r.Outcome == Outcome.Ok)
        {
            if (r.Verb == "delete" && !r.Res!.DeleteReturnsObject)
            {
                w.Str("status", "Success");
                StatusDetails(w, r, r.Name, r.Res.Name, uid: true);
            }
            else if (r.Sub is "binding" or "eviction" && r.Verb == "create")
            {
                w.Str("status", "Success");
            }

            w.Num("code", r.Code);
            return;
        }
        if (r.Outcome != Outcome.Unauthorized)
        {
            w.Str("status", "Failure");
        }

        w.Str("message", r.StatusMessage);
        if (r.StatusReason.Length > 0)
        {
            w.Str("reason", r.StatusReason);
        }

        switch (r.Outcome)
        {
            case Outcome.Forbidden when !r.IsResource: w.EmptyObj("details"); break;
            case Outcome.Forbidden or Outcome.NotFound or Outcome.AlreadyExists or Outcome.Conflict:
                StatusDetails(w, r, r.Outcome == Outcome.AlreadyExists ? r.BodyName : r.Name, r.Res!.Name, uid: false);
                break;
            case Outcome.Invalid:
                w.Obj("details");
                w.Str("name", r.Name ?? r.BodyName ?? "");
                if (r.Res!.Group.Length > 0)
                {
                    w.Str("group", r.Res.Group);
                }

                w.Str("kind", r.Res.Kind);
                CauseList(w, r);
                w.EndObject();
                break;
            case Outcome.WebhookError:
                w.Obj("details");
                CauseList(w, r);
                w.EndObject();
                break;
        }
        w.Num("code", r.Code);
    }

    private static void CauseList(GoJsonWriter w, Request r)
    {
        w.Arr("causes");
        w.StartObject();
        if (r.CauseReason != null)
        {
            w.Str("reason", r.CauseReason);
        }

        w.Str("message", r.CauseMessage ?? "");
        if (r.CauseField != null)
        {
            w.Str("field", r.CauseField);
        }

        w.EndObject();
        w.EndArray();
    }

    private static void StatusDetails(GoJsonWriter w, Request r, string? name, string kind, bool uid)
    {
        w.Obj("details");
        if (!string.IsNullOrEmpty(name))
        {
            w.Str("name", name);
        }

        if (r.Res!.Group.Length > 0)
        {
            w.Str("group", r.Res.Group);
        }

        w.Str("kind", kind);
        if (uid)
        {
            w.Str("uid", Ids.StableUuid(r.Res.Kind + "/" + r.Ns + "/" + name));
        }

        w.EndObject();
    }

    /// <summary>Patch bodies: strategic-merge patches from kubelet and kubectl, apply configurations from Argo CD.</summary>
    private void Patch(Request r)
    {
        var res = r.Res!;
        var now = r.Received / 1_000_000 * 1_000_000;
        if (res == R.Nodes && r.Sub == "status")
        {
            _w.StartObject();
            _w.Obj("status");
            _w.RawProp("$setElementOrder/conditions", "[{\"type\":\"MemoryPressure\"},{\"type\":\"DiskPressure\"},{\"type\":\"PIDPressure\"},{\"type\":\"Ready\"}]");
            _w.Arr("conditions");
            foreach (var t in new[] { "MemoryPressure", "DiskPressure", "PIDPressure", "Ready" })
            {
                _w.StartObject(); _w.Time("lastHeartbeatTime", now); _w.Str("type", t); _w.EndObject();
            }
            _w.EndArray();
            _w.EndObject();
            _w.EndObject();
            return;
        }
        if (res == R.Pods && r.Sub == "status")
        {
            var pod = r.Pod ?? Catalog.Pods[0];
            _w.StartObject();
            if (r.Actor.Node == null)
            {
                // The scheduler reporting an unschedulable pod.
                _w.Obj("status");
                _w.Arr("conditions");
                _w.StartObject();
                _w.NullProp("lastProbeTime");
                _w.Time("lastTransitionTime", now);
                _w.Str("message", "0/15 nodes are available: 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 12 Insufficient memory. preemption: 0/15 nodes are available: 3 Preemption is not helpful for scheduling, 12 No preemption victims found for incoming pod.");
                _w.Str("reason", "Unschedulable");
                _w.Str("status", "False");
                _w.Str("type", "PodScheduled");
                _w.EndObject();
                _w.EndArray();
                _w.EndObject();
                _w.EndObject();
                return;
            }
            _w.Obj("metadata"); _w.Str("uid", Ids.StableUuid("Pod/" + pod.Ns + "/" + pod.Name)); _w.EndObject();
            _w.Obj("status");
            _w.RawProp("$setElementOrder/conditions", "[{\"type\":\"PodReadyToStartContainers\"},{\"type\":\"Initialized\"},{\"type\":\"Ready\"},{\"type\":\"ContainersReady\"},{\"type\":\"PodScheduled\"}]");
            var ready = _rnd.Next(4) != 0;
            _w.Arr("conditions");
            foreach (var t in new[] { "Ready", "ContainersReady" })
            {
                _w.StartObject();
                _w.Time("lastTransitionTime", now);
                if (!ready)
                {
                    _w.Str("message", "containers with unready status: [" + pod.Container + "]");
                }

                if (!ready)
                {
                    _w.Str("reason", "ContainersNotReady");
                }

                _w.Str("status", ready ? "True" : "False");
                _w.Str("type", t);
                _w.EndObject();
            }
            _w.EndArray();
            _w.Arr("containerStatuses");
            _w.StartObject();
            _w.Str("containerID", "containerd://" + Ids.StableHex(pod.Name + "/ctr", 64));
            _w.Str("image", pod.Image);
            _w.Str("imageID", pod.Image.Split(':')[0] + "@sha256:" + Ids.StableHex(pod.Image, 64));
            _w.EmptyObj("lastState");
            _w.Str("name", pod.Container);
            _w.Flag("ready", ready);
            _w.Num("restartCount", (long)(Ids.Hash(pod.Name) % 3));
            _w.Flag("started", true);
            _w.Obj("state"); _w.Obj("running"); _w.Time("startedAt", Catalog.CreatedMicros(_start, "Pod/" + pod.Ns + "/" + pod.Name) + 2_000_000); _w.EndObject(); _w.EndObject();
            _w.EndObject();
            _w.EndArray();
            _w.EndObject();
            _w.EndObject();
            return;
        }
        if (res == R.Events)
        {
            _w.StartObject();
            _w.Num("count", 2 + _rnd.Next(40));
            _w.Time("lastTimestamp", now);
            _w.EndObject();
            return;
        }
        var wl = r.Workload;
        var app = wl?.Name ?? r.Name ?? "app";
        if (r.Actor.IsHuman && res == R.Deployments)
        {
            // kubectl apply (client-side): last-applied annotation plus the changed image.
            var image = (wl?.Image ?? "nginx:1.27.2").Split(':')[0] + ":" + (1 + _rnd.Next(4)) + "." + _rnd.Next(20) + "." + _rnd.Next(10);
            var lastApplied = new StringBuilder("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"labels\":{\"app.kubernetes.io/name\":\"")
                .Append(app).Append("\"},\"name\":\"").Append(app).Append("\",\"namespace\":\"").Append(r.Ns).Append("\"},\"spec\":{\"replicas\":").Append(wl?.Replicas ?? 1)
                .Append(",\"selector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"").Append(app).Append("\"}},\"template\":{\"metadata\":{\"labels\":{\"app.kubernetes.io/name\":\"")
                .Append(app).Append("\"}},\"spec\":{\"containers\":[{\"image\":\"").Append(image).Append("\",\"name\":\"").Append(app).Append("\"}]}}}}\n").ToString();
            _w.StartObject();
            _w.Obj("metadata"); _w.Obj("annotations"); _w.Str("kubectl.kubernetes.io/last-applied-configuration", lastApplied); _w.EndObject(); _w.EndObject();
            _w.Obj("spec"); _w.Obj("template"); _w.Obj("spec");
            _w.RawProp("$setElementOrder/containers", "[{\"name\":\"" + app + "\"}]");
            _w.Arr("containers"); _w.StartObject(); _w.Str("image", image); _w.Str("name", app); _w.EndObject(); _w.EndArray();
            _w.EndObject(); _w.EndObject(); _w.EndObject();
            _w.EndObject();
            return;
        }
        if (res == R.Deployments || res == R.ConfigMaps || res == R.Services)
        {
            // Server-side apply from Argo CD: the apply configuration, with the tracking annotation.
            // Unstructured JSON: Go sorts the keys (apiVersion, data, kind, metadata, spec).
            _w.StartObject();
            _w.Str("apiVersion", res.ApiVersion);
            if (res == R.ConfigMaps)
            {
                _w.Obj("data");
                _w.Str("LOG_FORMAT", "json");
                _w.Str("LOG_LEVEL", _rnd.Next(5) == 0 ? "debug" : "info");
                _w.Str("UPSTREAM_URL", "http://" + app + "." + r.Ns + ".svc.cluster.local:8080/api?version=2&format=json");
                _w.EndObject();
            }
            _w.Str("kind", res.Kind);
            _w.Obj("metadata");
            _w.Obj("annotations"); _w.Str("argocd.argoproj.io/tracking-id", app + ":" + res.Group + "/" + res.Kind + ":" + r.Ns + "/" + r.Name); _w.EndObject();
            _w.Obj("labels"); _w.Str("app.kubernetes.io/instance", app); _w.Str("app.kubernetes.io/name", app); _w.EndObject();
            _w.Str("name", r.Name ?? app);
            _w.Str("namespace", r.Ns ?? "default");
            _w.EndObject();
            if (res == R.Services)
            {
                _w.RawProp("spec", "{\"ports\":[{\"name\":\"http\",\"port\":" + (wl?.Port ?? 8080) + ",\"targetPort\":" + (wl?.Port ?? 8080) + "}],\"selector\":{\"app.kubernetes.io/name\":\"" + app + "\"}}");
            }
            else if (res == R.Deployments)
            {
                _w.RawProp("spec", "{\"replicas\":" + (wl?.Replicas ?? 1) + ",\"selector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"" + app +
                    "\"}},\"template\":{\"metadata\":{\"labels\":{\"app.kubernetes.io/name\":\"" + app + "\"}},\"spec\":{\"containers\":[{\"image\":\"" +
                    (wl?.Image ?? "nginx:1.27.2") + "\",\"name\":\"" + app + "\",\"ports\":[{\"containerPort\":" + (wl?.Port ?? 8080) +
                    ",\"name\":\"http\"}],\"resources\":{\"limits\":{\"memory\":\"512Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"256Mi\"}}}],\"serviceAccountName\":\"" + (wl?.Sa ?? "default") + "\"}}}");
            }
            _w.EndObject();
            return;
        }
        // Anything else (ttl controller on nodes, a label change): a small merge patch.
        _w.StartObject();
        _w.Obj("metadata");
        _w.Obj("annotations");
        _w.Str("node.alpha.kubernetes.io/ttl", "0");
        _w.EndObject();
        _w.EndObject();
        _w.EndObject();
    }
}
