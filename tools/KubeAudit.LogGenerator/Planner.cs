using System.Text;

namespace KubeAudit.LogGenerator;

/// <summary>
/// Decides each request: who calls, what, on which object, how authorization and the handler
/// answer, which audit level the policy gives it, and how long it takes. All randomness comes
/// from the one seeded Random, consumed in a fixed order.
/// </summary>
internal sealed class Planner
{
    private readonly Random _rnd;
    private readonly GeneratorOptions _opt;
    private readonly Actor[] _actors;
    private readonly double[] _actorCum;
    private readonly Dictionary<Actor, double[]> _actCum = new(ReferenceEqualityComparer.Instance);
    private readonly StringBuilder _sb = new(256);
    private long _rv = 48_120_000;

    public Planner(Random rnd, GeneratorOptions options)
    {
        _rnd = rnd;
        _opt = options;
        _actors = Actors.Build();
        _actorCum = Cumulative(_actors.Select(a => a.Weight));
        foreach (var a in _actors)
        {
            _actCum[a] = Cumulative(a.Acts.Select(x => x.W));
        }
    }

    private static double[] Cumulative(IEnumerable<double> weights)
    {
        double sum = 0;
        return weights.Select(w => sum += w).ToArray();
    }

    private int Pick(double[] cum)
    {
        var x = _rnd.NextDouble() * cum[^1];
        var i = Array.BinarySearch(cum, x);
        i = i < 0 ? ~i : i + 1;
        return Math.Min(i, cum.Length - 1);
    }

    private bool Chance(double p) => _rnd.NextDouble() < p;

    public void Plan(Request r, long received)
    {
        r.Reset();
        var actor = _actors[Pick(_actorCum)];
        var act = actor.Acts[Pick(_actCum[actor])];
        r.Actor = actor;
        r.Act = act;
        r.Verb = act.Verb;
        r.Received = received;
        if (actor.ImpersonateShare > 0 && Chance(actor.ImpersonateShare))
        {
            // kubectl --as=alice@example.com: only the user name is given, the server adds the group.
            r.ImpersonatedUser = "alice@example.com";
            r.ImpersonatedGroups = ["system:authenticated"];
        }

        var watchTimeout = 300 + _rnd.Next(300); // client-go picks 5-10 minutes
        if (act.Path != null)
        {
            r.Uri = act.Path;
        }
        else
        {
            Resolve(r, act, watchTimeout);
        }

        Authorize(r);
        DecideOutcome(r);
        r.Level = DrawLevel();
        r.WithRequestReceived = r.Outcome != Outcome.Unauthorized && Chance(_opt.RequestReceivedShare);
        Time(r, watchTimeout);
    }

    /// <summary>The policy's level, drawn with the configured shares.</summary>
    private string DrawLevel()
    {
        var x = _rnd.NextDouble();
        if (x < _opt.RequestResponseShare)
        {
            return "RequestResponse";
        }

        if (x < _opt.RequestResponseShare + _opt.RequestShare)
        {
            return "Request";
        }

        return "Metadata";
    }

    private void Resolve(Request r, Act act, int watchTimeout)
    {
        var res = act.Res!;
        var actor = r.Actor;
        r.Res = res;
        r.Sub = act.Sub;
        var ns = act.Ns switch
        {
            null => null,
            "*" => Catalog.PickNamespace(_rnd),
            "@" => actor.Namespace,
            "@app" => Catalog.AppNamespaces[_rnd.Next(Catalog.AppNamespaces.Length)],
            "~" => _rnd.NextDouble() switch
            {
                < 0.75 => actor.Namespace,
                < 0.9 => Catalog.AppNamespaces[_rnd.Next(Catalog.AppNamespaces.Length)],
                _ => Catalog.PickNamespace(_rnd),
            },
            "$pod" => (r.Pod = Catalog.PickPod(_rnd, actor.Node)).Ns,
            _ => act.Ns,
        };
        if (!res.Namespaced)
        {
            ns = null;
        }

        r.Ns = ns;

        var name = act.Name switch
        {
            null => null,
            "$node" => actor.Node,
            "$pod" => r.Pod!.Name,
            "$podsa" => r.Pod!.Sa,
            "$podev" => r.Pod!.Name + "." + Ids.RandomHex(_rnd, 16),
            "*" when res == R.Pods => (r.Pod = Catalog.PickPodIn(_rnd, ns ?? "default"))?.Name ?? Catalog.PickName(_rnd, res, ns ?? ""),
            "*" => Catalog.PickName(_rnd, res, ns ?? ""),
            _ => act.Name,
        };
        r.Name = name;
        if (ns != null && name != null)
        {
            r.Workload = Catalog.FindWorkload(ns, name);
        }

        r.Workload ??= r.Pod?.Owner ?? (ns != null ? Catalog.PickWorkload(_rnd, ns) : null);
        if (r.Verb == "create" && name == null)
        {
            NameNewObject(r, res);
        }

        if (r.GenerateName != null)
        {
            r.GeneratedName = r.GenerateName + Ids.RandomSuffix(_rnd, 5);
        }

        // The path. For namespaces the object's own name is also its namespace in objectRef.
        var sb = _sb.Clear().Append(res.Prefix);
        if (res == R.Namespaces && name != null)
        {
            r.Ns = name;
        }
        else if (ns != null)
        {
            sb.Append("/namespaces/").Append(ns);
        }

        sb.Append('/').Append(res.Name);
        if (name != null)
        {
            sb.Append('/').Append(name);
        }

        if (act.Sub != null)
        {
            sb.Append('/').Append(act.Sub);
        }

        var sel = act.Sel == null ? null : Substitute(act.Sel, r);
        switch (act.Q)
        {
            case null: break;
            case "W":
                r.Verb = "watch";
                sb.Append("?allowWatchBookmarks=true");
                if (sel != null)
                {
                    sb.Append('&').Append(sel);
                }

                sb.Append("&resourceVersion=").Append(_rv - _rnd.Next(20_000))
                  .Append("&timeout=").Append(GoFormat.Duration(watchTimeout * 1_000_000_000L))
                  .Append("&timeoutSeconds=").Append(watchTimeout).Append("&watch=true");
                break;
            case "L":
                sb.Append('?');
                if (sel != null)
                {
                    sb.Append(sel).Append('&');
                }

                sb.Append("limit=500&resourceVersion=0");
                break;
            case "K": sb.Append("?limit=500"); break;
            default: sb.Append(Substitute(act.Q, r)); break;
        }
        r.Uri = sb.ToString();

        // RequestInfo takes the name of a list/watch from a metadata.name field selector.
        const string byName = "fieldSelector=metadata.name%3D";
        if (sel != null && sel.StartsWith(byName, StringComparison.Ordinal))
        {
            r.Name = sel[byName.Length..];
        }

        r.LongRunning = r.Verb == "watch" || act.Sub is "log" or "exec" or "attach" or "portforward" or "proxy";
    }

    private void NameNewObject(Request r, Res res)
    {
        var w = r.Workload;
        var wn = w?.Name ?? "app";
        if (res == R.Pods && r.Sub == null)
        {
            r.GenerateName = (w?.RsName ?? wn) + "-";
        }
        else if (res == R.EndpointSlices)
        {
            r.GenerateName = wn + "-";
        }
        else if (res == R.Events || res == R.EventsV1)
        {
            r.Pod ??= Catalog.PickPodIn(_rnd, r.Ns ?? "default");
            r.BodyName = (r.Pod?.Name ?? wn) + "." + Ids.RandomHex(_rnd, 16);
        }
        else if (res == R.ReplicaSets)
        {
            r.BodyName = wn + "-" + Ids.RandomSuffix(_rnd, 10);
        }
        else if (res == R.ConfigMaps)
        {
            r.BodyName = _rnd.Next(2) == 0 ? wn + "-feature-flags" : wn + "-config-" + Ids.RandomSuffix(_rnd, 4);
        }
        else if (res == R.Secrets)
        {
            r.BodyName = wn + "-tls";
        }
        else if (res == R.RoleBindings)
        {
            r.BodyName = _rnd.Next(2) == 0 ? "dev-team-edit" : wn + "-deployer";
        }
        else if (res == R.ClusterRoleBindings)
        {
            r.BodyName = _rnd.Next(2) == 0 ? "sre-view" : "oncall-cluster-admin";
        }
    }

    private string Substitute(string s, Request r)
    {
        if (!s.Contains('$'))
        {
            return s;
        }

        var pod = r.Pod ?? Catalog.PickPodIn(_rnd, r.Ns ?? "default");
        return s.Replace("$node", r.Actor.Node ?? pod?.Node ?? "k8s-worker-1", StringComparison.Ordinal)
            .Replace("$anynode", Catalog.Nodes[_rnd.Next(Catalog.Nodes.Length)].Name, StringComparison.Ordinal)
            .Replace("$wl", r.Workload?.Name ?? "app", StringComparison.Ordinal)
            .Replace("$ctr", pod?.Container ?? "app", StringComparison.Ordinal)
            .Replace("$name", r.Name ?? pod?.Name ?? "app", StringComparison.Ordinal)
            .Replace("$ns", r.Ns ?? "default", StringComparison.Ordinal);
    }

    private static void Authorize(Request r)
    {
        var a = r.Actor;
        var mode = r.ImpersonatedUser != null ? Authz.DevTeam : a.Authz;
        var nonResource = !r.IsResource;
        var ns = r.Res == R.Namespaces ? null : r.Ns;
        var read = r.Verb is "get" or "list" or "watch";
        switch (mode)
        {
            case Authz.Unauthenticated:
                r.Outcome = Outcome.Unauthorized;
                return;
            case Authz.Static:
                if (r.Act.Deny != null)
                {
                    Forbid(r, r.Act.Deny.Replace("$node", a.Node, StringComparison.Ordinal));
                }
                else
                {
                    Allow(r, r.Act.Reason ?? (nonResource && r.Uri != "/metrics" && a.Reason.Length > 0 ? Actors.Discovery : a.Reason));
                }

                return;
            case Authz.Admin:
                Allow(r, Actors.Crb("kubeadm:cluster-admins", "cluster-admin", "Group", "kubeadm:cluster-admins"));
                return;
            case Authz.DevTeam:
                if (nonResource)
                {
                    Allow(r, Actors.Discovery);
                }
                else if (ns != null && ns.StartsWith("app-", StringComparison.Ordinal) && r.Res!.Group != "rbac.authorization.k8s.io")
                {
                    Allow(r, Actors.Rb("dev-team-edit", ns, "ClusterRole", "edit", "Group", "dev-team"));
                }
                else
                {
                    Forbid(r, "");
                }

                return;
            case Authz.Sre:
                if (nonResource)
                {
                    Allow(r, Actors.Discovery);
                }
                else if (ns == "monitoring")
                {
                    Allow(r, Actors.Rb("sre-admin", "monitoring", "ClusterRole", "admin", "Group", "sre"));
                }
                else if (read && r.Res == R.Nodes)
                {
                    Allow(r, Actors.Crb("sre-node-reader", "system:node-reader", "Group", "sre"));
                }
                else if (read && r.Res != R.Secrets)
                {
                    Allow(r, Actors.Crb("sre-view", "view", "Group", "sre"));
                }
                else
                {
                    Forbid(r, "");
                }

                return;
            case Authz.Anonymous:
                if (nonResource && r.Uri is "/livez" or "/readyz" or "/healthz" or "/version")
                {
                    Allow(r, Actors.PublicInfo);
                }
                else
                {
                    Forbid(r, "");
                }

                return;
        }
    }

    private static void Allow(Request r, string reason)
    {
        r.Decision = "allow";
        r.AuthzReason = reason;
    }

    /// <summary>The Status kube-apiserver's authorization filter writes (responsewriters.Forbidden).</summary>
    private static void Forbid(Request r, string reason)
    {
        r.Decision = "forbid";
        r.AuthzReason = reason;
        r.Outcome = Outcome.Forbidden;
        r.Code = 403;
        r.StatusReason = "Forbidden";
        var path = r.Uri.Split('?')[0];
        string msg;
        if (!r.IsResource)
        {
            msg = $"User \"{r.User}\" cannot {r.Verb} path \"{path}\"";
        }
        else
        {
            var resource = r.Sub == null ? r.Res!.Name : r.Res!.Name + "/" + r.Sub;
            msg = r.Ns != null
                ? $"User \"{r.User}\" cannot {r.Verb} resource \"{resource}\" in API group \"{r.Res.Group}\" in the namespace \"{r.Ns}\""
                : $"User \"{r.User}\" cannot {r.Verb} resource \"{resource}\" in API group \"{r.Res.Group}\" at the cluster scope";
        }
        if (reason.Length > 0)
        {
            msg += ": " + reason;
        }

        r.StatusMessage = !r.IsResource ? "forbidden: " + msg
            : r.Name == null ? $"{r.Res!.Qualified} is forbidden: {msg}"
            : $"{r.Res!.Qualified} \"{r.Name}\" is forbidden: {msg}";
    }

    private void DecideOutcome(Request r)
    {
        if (r.Outcome == Outcome.Unauthorized)
        {
            r.Code = 401;
            r.StatusMessage = "Authentication failed, attempted: bearer";
            return;
        }
        if (r.Outcome == Outcome.Forbidden)
        {
            return;
        }

        var human = r.Actor.IsHuman;
        var name = r.Name ?? r.BodyName;
        if (Chance(0.0002))
        {
            Fail(r, Outcome.Panic, 500, "InternalError", "APIServer panic'd: runtime error: invalid memory address or nil pointer dereference");
        }
        else if (!r.IsResource) { }
        else if (r.Res == R.Pods && r.Name != null && r.Pod == null && r.Verb is "get" or "delete" or "patch" or "create")
        {
            NotFound(r); // a human guessed a pod in a namespace that has none
        }
        else if (r.Verb == "get" && name != null && r.Sub is null or "status" && Chance(human ? 0.06 : 0.008))
        {
            NotFound(r);
        }
        else if (r.Verb == "delete" && Chance(human ? 0.05 : 0.02))
        {
            NotFound(r);
        }
        else if (r.Verb == "create" && r.BodyName != null && Chance(human ? 0.05 : 0.01))
        {
            Fail(r, Outcome.AlreadyExists, 409, "AlreadyExists", $"{r.Res!.Qualified} \"{r.BodyName}\" already exists");
        }
        else if (r.Verb == "update" && Chance(0.02))
        {
            Fail(r, Outcome.Conflict, 409, "Conflict", $"Operation cannot be fulfilled on {r.Res!.Qualified} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
        }
        else if (human && r.Verb is "patch" or "create" && r.Sub == null && Chance(0.04))
        {
            Invalid(r);
        }
        else if (r.Verb is "create" or "patch" && r.Res == R.Pods || r.Verb == "patch" && r.Res == R.Deployments)
        {
            if (Chance(0.004))
            {
                Fail(r, Outcome.WebhookError, 500, "InternalError", "Internal error occurred: failed calling webhook \"validation.gatekeeper.sh\": failed to call webhook: Post \"https://gatekeeper-webhook-service.gatekeeper-system.svc:443/v1/admit?timeout=3s\": context deadline exceeded");
            }
        }

        if (r.Outcome == Outcome.Ok)
        {
            r.Code = r.Verb == "create" ? (r.Sub == "exec" ? 101 : 201) : 200;
        }
    }

    private static void Fail(Request r, Outcome o, int code, string reason, string message)
    {
        r.Outcome = o;
        r.Code = code;
        r.StatusReason = reason;
        r.StatusMessage = message;
        if (o == Outcome.WebhookError)
        {
            r.CauseMessage = message["Internal error occurred: ".Length..];
        }
    }

    private static void NotFound(Request r) =>
        Fail(r, Outcome.NotFound, 404, "NotFound", $"{r.Res!.Qualified} \"{r.Name ?? r.BodyName}\" not found");

    private static void Invalid(Request r)
    {
        var res = r.Res!;
        var kind = res.Group.Length == 0 ? res.Kind : res.Kind + "." + res.Group;
        if (res == R.Deployments && r.Verb == "patch")
        {
            Fail(r, Outcome.Invalid, 422, "Invalid", $"{kind} \"{r.Name}\" is invalid: spec.template.spec.containers[0].image: Required value");
            (r.CauseReason, r.CauseMessage, r.CauseField) = ("FieldValueRequired", "Required value", "spec.template.spec.containers[0].image");
            return;
        }
        // An upper-case name fails DNS-1123 validation; Go's message quotes a regex with backslashes.
        var bad = (r.Name ?? r.BodyName ?? "app").Replace('-', '_').ToUpperInvariant();
        if (r.Name == null)
        {
            r.BodyName = bad;
        }

        var detail = $"Invalid value: \"{bad}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        Fail(r, Outcome.Invalid, 422, "Invalid", $"{kind} \"{bad}\" is invalid: metadata.name: {detail}");
        (r.CauseReason, r.CauseMessage, r.CauseField) = ("FieldValueInvalid", detail, "metadata.name");
    }

    private double Gaussian()
    {
        double u1 = 1.0 - _rnd.NextDouble(), u2 = _rnd.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Latencies: lognormal milliseconds for ordinary calls, minutes for watches and follows.</summary>
    private void Time(Request r, int watchTimeout)
    {
        if (r.IsWrite)
        {
            _rv += 1 + _rnd.Next(3);
        }

        r.Rv = _rv;
        r.PrevRv = _rv - 1 - _rnd.Next(4000);

        var start = r.Received;
        if (r.Outcome == Outcome.Unauthorized)
        {
            r.Started = r.Completed = start + 80 + _rnd.Next(900);
            return;
        }
        if (r.LongRunning)
        {
            r.Started = start + 600 + _rnd.Next(3500);
            var length = r.Verb == "watch" ? watchTimeout * 1_000_000L + _rnd.Next(40_000)
                : r.Sub == "proxy" ? 8_000 + (long)(40_000 * Math.Exp(Gaussian()))
                : r.Outcome != Outcome.Ok ? 2_000 + _rnd.Next(6_000)
                : (long)(_rnd.NextDouble() * _rnd.NextDouble() * 1_200_000_000) + 2_000_000; // exec/log sessions: seconds to 20 minutes
            r.Completed = start + length;
            if (r.Sub == "proxy")
            {
                r.Started = Math.Min(r.Started, r.Completed);
            }

            return;
        }
        var baseMs = r.Verb switch
        {
            "get" => 1.6, "list" => 9, "create" => 6, "update" => 4, "patch" => 5, "delete" => 6, "deletecollection" => 40, _ => 2,
        };
        if (!r.IsResource)
        {
            baseMs = r.Uri.StartsWith("/openapi", StringComparison.Ordinal) ? 60 : 0.6;
        }

        var micros = (long)(baseMs * 1000 * Math.Exp(0.75 * Gaussian())) + 60;
        if (r.Outcome == Outcome.WebhookError)
        {
            micros = 3_000_000 + _rnd.Next(15_000);
        }
        else if (Chance(0.006))
        {
            micros = 505_000 + (long)(-Math.Log(1 - _rnd.NextDouble()) * 900_000); // slow: etcd or APF
        }

        r.Completed = start + micros;
        if (micros > 500_000)
        {
            r.LatencyNs = micros * 1000 + _rnd.Next(1000);
        }
    }
}
