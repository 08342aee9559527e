namespace KubeAudit.LogGenerator;

/// <summary>
/// Writes the audit events of one request, one JSON line per stage, with the fields in
/// audit.k8s.io/v1 Event struct order and omitempty as kube-apiserver applies it.
/// </summary>
internal sealed class EventWriter(GoJsonWriter w, Bodies bodies, Random rnd)
{
    private const string RequestReceived = "RequestReceived";
    private const string ResponseStarted = "ResponseStarted";

    /// <summary>Writes at most <paramref name="maxLines"/> lines (dropping the earliest stages) and returns how many.</summary>
    public int Write(Request r, int maxLines)
    {
        var auditId = Ids.RandomUuid(rnd);
        if (r.Outcome == Outcome.Unauthorized)
        {
            // Failed authentication: a single ResponseStarted event, no user, no annotations.
            Line(r, auditId, ResponseStarted, r.Started, final: true);
            return 1;
        }
        var final = r.Outcome == Outcome.Panic ? "Panic" : "ResponseComplete";
        var total = 1 + (r.WithRequestReceived ? 1 : 0) + (r.LongRunning ? 1 : 0);
        var skip = Math.Max(0, total - maxLines);
        var n = 0;
        if (r.WithRequestReceived && n++ >= skip)
        {
            Line(r, auditId, RequestReceived, r.Received, final: false);
        }

        if (r.LongRunning && n++ >= skip)
        {
            Line(r, auditId, ResponseStarted, r.Started, final: false);
        }

        Line(r, auditId, final, r.Completed, final: true);
        return total - skip;
    }

    private void Line(Request r, string auditId, string stage, long stageTime, bool final)
    {
        var received = stage == RequestReceived;
        var decoded = !received && r.Outcome is not (Outcome.Forbidden or Outcome.Unauthorized);
        w.StartObject();
        w.Str("kind", "Event");
        w.Str("apiVersion", "audit.k8s.io/v1");
        w.Str("level", r.Level);
        w.Str("auditID", auditId);
        w.Str("stage", stage);
        w.Str("requestURI", r.Uri);
        w.Str("verb", r.Verb);
        User(r);
        if (r.ImpersonatedUser != null)
        {
            w.Obj("impersonatedUser");
            w.Str("username", r.ImpersonatedUser);
            w.StrArr("groups", r.ImpersonatedGroups);
            w.EndObject();
        }
        w.StrArr("sourceIPs", r.Actor.SourceIPs);
        if (r.Actor.UserAgent != null)
        {
            w.Str("userAgent", r.Actor.UserAgent);
        }

        if (r.IsResource)
        {
            ObjectRef(r, decoded);
        }

        if (!received)
        {
            w.Obj("responseStatus");
            Bodies.WriteStatusFields(w, r);
            w.EndObject();
        }
        if (!received && r.Level != "Metadata" && Bodies.HasRequestBody(r))
        {
            w.Name("requestObject");
            bodies.RequestObject(r);
        }
        if (final && r.Level == "RequestResponse" && Bodies.HasResponseBody(r))
        {
            w.Name("responseObject");
            bodies.ResponseObject(r);
        }
        w.MicroTime("requestReceivedTimestamp", r.Received);
        w.MicroTime("stageTimestamp", stageTime);
        if (!received && r.Outcome != Outcome.Unauthorized)
        {
            Annotations(r, final);
        }

        w.EndObject();
        w.NewLine();
    }

    private void User(Request r)
    {
        var a = r.Actor;
        w.Obj("user");
        if (r.Outcome != Outcome.Unauthorized)
        {
            w.Str("username", a.Username);
            if (a.Uid != null)
            {
                w.Str("uid", a.Uid);
            }

            if (a.Groups.Length > 0)
            {
                w.StrArr("groups", a.Groups);
            }

            if (a.Extra.Length > 0)
            {
                w.Obj("extra");
                foreach (var (key, value) in a.Extra)
                {
                    w.StrArr(key, value);
                }

                w.EndObject();
            }
        }
        w.EndObject();
    }

    /// <summary>objectRef; after decoding, name/uid/resourceVersion are filled from the request body.</summary>
    private void ObjectRef(Request r, bool decoded)
    {
        var res = r.Res!;
        w.Obj("objectRef");
        w.Str("resource", res.Name);
        if (r.Ns != null)
        {
            w.Str("namespace", r.Ns);
        }

        var name = r.Name ?? (decoded && r.Verb == "create" ? r.BodyName : null);
        if (name != null)
        {
            w.Str("name", name);
        }

        var bodyHasMeta = decoded && (r.Verb == "update" || r.Sub == "binding");
        if (bodyHasMeta)
        {
            w.Str("uid", Ids.StableUuid(res.Kind + "/" + r.Ns + "/" + r.Name));
        }

        if (res.Group.Length > 0)
        {
            w.Str("apiGroup", res.Group);
        }

        w.Str("apiVersion", res.Version);
        if (bodyHasMeta && r.Verb == "update")
        {
            w.Str("resourceVersion", r.PrevRv.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (r.Sub != null)
        {
            w.Str("subresource", r.Sub);
        }

        w.EndObject();
    }

    /// <summary>Annotations, keys in Go's sorted map order.</summary>
    private void Annotations(Request r, bool final)
    {
        w.Obj("annotations");
        if (final && r.LatencyNs > 0)
        {
            Latency(r);
        }

        w.Str("authorization.k8s.io/decision", r.Decision);
        w.Str("authorization.k8s.io/reason", r.AuthzReason);
        if (final && r.Res == R.Pods && r.Sub == null && r.Verb == "create" && r.Outcome is Outcome.Ok or Outcome.AlreadyExists)
        {
            var level = r.Ns!.StartsWith("app-", StringComparison.Ordinal) ? "restricted" : r.Ns == "kube-system" ? "privileged" : "baseline";
            w.Str("pod-security.kubernetes.io/enforce-policy", level + ":latest");
        }
        w.EndObject();
    }

    /// <summary>apiserver.latency.k8s.io/* for requests slower than 500 ms: a plausible split of the total.</summary>
    private void Latency(Request r)
    {
        const string p = "apiserver.latency.k8s.io/";
        var total = r.LatencyNs;
        var queued = r.Outcome != Outcome.WebhookError && rnd.Next(4) == 0;
        var apf = queued ? total * (40 + rnd.Next(45)) / 100 : 1_500 + rnd.Next(60_000);
        var webhook = r.Outcome == Outcome.WebhookError ? 3_000_000_000L + rnd.Next(2_000_000) : 0;
        var rest = Math.Max(1, total - apf - webhook);
        var etcd = r.Outcome == Outcome.WebhookError ? 0 : rest * (55 + rnd.Next(40)) / 100;
        var write = r.IsWrite;
        w.Str(p + "apf-queue-wait", GoFormat.Duration(apf));
        w.Str(p + "authentication", GoFormat.Duration(9_000 + rnd.Next(300_000)));
        w.Str(p + "authorization", GoFormat.Duration(4_000 + rnd.Next(150_000)));
        if (write)
        {
            w.Str(p + "decode-response-object", GoFormat.Duration(20_000 + rnd.Next(400_000)));
        }

        if (etcd > 0)
        {
            w.Str(p + "etcd", GoFormat.Duration(etcd));
        }

        if (write)
        {
            w.Str(p + "mutating-webhook", GoFormat.Duration(2_000 + rnd.Next(40_000)));
        }

        if (r.Outcome == Outcome.Ok)
        {
            w.Str(p + "response-write", GoFormat.Duration(900 + rnd.Next(40_000)));
        }

        w.Str(p + "serialize-response-object", GoFormat.Duration(rest / (20 + rnd.Next(60)) + rnd.Next(50_000)));
        w.Str(p + "total", GoFormat.Duration(total));
        w.Str(p + "transform-response-object", GoFormat.Duration(1_000 + rnd.Next(30_000)));
        if (write)
        {
            w.Str(p + "validating-webhook", GoFormat.Duration(webhook > 0 ? webhook : 1_000 + rnd.Next(20_000)));
        }
    }
}
