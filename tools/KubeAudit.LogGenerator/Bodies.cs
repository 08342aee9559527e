namespace KubeAudit.LogGenerator;

/// <summary>
/// requestObject and responseObject bodies. This part decides which body a request has;
/// the other Bodies.*.cs files write the Kubernetes objects in Go struct field order.
/// </summary>
internal sealed partial class Bodies(GoJsonWriter w, Random rnd, long startMicros)
{
    private readonly GoJsonWriter _w = w;
    private readonly Random _rnd = rnd;
    private readonly long _start = startMicros;

    /// <summary>Whether the request carries a body kube-apiserver decodes (and so can log at Request level).</summary>
    public static bool HasRequestBody(Request r) =>
        r.IsResource && r.Outcome is not (Outcome.Forbidden or Outcome.Unauthorized or Outcome.Panic) &&
        r.Verb is "create" or "update" or "patch" or "delete" or "deletecollection";

    public static bool HasResponseBody(Request r) =>
        r.IsResource && !r.LongRunning && r.Outcome is not (Outcome.Unauthorized or Outcome.Panic);

    public void RequestObject(Request r)
    {
        var res = r.Res!;
        var rv = r.PrevRv;
        switch (r.Verb)
        {
            case "delete" or "deletecollection":
                DeleteOptions(r);
                return;
            case "patch":
                Patch(r);
                return;
            case "create":
                switch (r.Sub)
                {
                    case "binding": Binding(r); return;
                    case "exec": ExecOptions(r); return;
                    case "eviction": Eviction(r); return;
                    case "token": TokenRequest(r, response: false); return;
                }
                if (res == R.TokenReviews) { TokenReview(r, response: false); return; }
                if (res == R.SubjectAccessReviews) { AccessReview(r, response: false); return; }
                Object(r, res, r.Name ?? r.BodyName, typeMeta: true, rv: 0, request: true);
                return;
            default: // update: the client sends back the object it read, with its resourceVersion
                Object(r, res, r.Name, typeMeta: true, rv: rv, request: false, managed: _rnd.Next(3) == 0);
                return;
        }
    }

    public void ResponseObject(Request r)
    {
        var res = r.Res!;
        if (r.Outcome != Outcome.Ok)
        {
            StatusObject(r);
            return;
        }
        switch (r.Verb)
        {
            case "list" or "deletecollection":
                List(r, res, r.Verb == "list" ? 1 + _rnd.Next(res == R.Pods || res == R.Nodes ? 2 : 3) : _rnd.Next(3));
                return;
            case "delete" when !res.DeleteReturnsObject:
                SuccessStatus(r);
                return;
            case "create":
                switch (r.Sub)
                {
                    case "binding" or "eviction": SuccessStatus(r); return;
                    case "token": TokenRequest(r, response: true); return;
                }
                if (res == R.TokenReviews) { TokenReview(r, response: true); return; }
                if (res == R.SubjectAccessReviews) { AccessReview(r, response: true); return; }
                break;
        }
        if (r.Sub == "scale") { Scale(r); return; }
        Object(r, res, r.Name ?? r.BodyName ?? r.GeneratedName, typeMeta: true, rv: r.Rv, request: false, managed: _rnd.Next(4) == 0, deleting: r.Verb == "delete");
    }

    /// <summary>A typed list; items carry no kind/apiVersion, as Go's typed lists serialize.</summary>
    private void List(Request r, Res res, int items)
    {
        _w.StartObject();
        _w.Str("kind", res.Kind + "List");
        _w.Str("apiVersion", res.ApiVersion);
        _w.Obj("metadata");
        _w.Str("resourceVersion", Rv(r.Rv));
        _w.EndObject();
        _w.Arr("items");
        var ns = r.Ns ?? Catalog.PickNamespace(_rnd);
        for (var i = 0; i < items; i++)
        {
            var name = res == R.Pods ? (r.Pod = Catalog.PickPodIn(_rnd, ns))?.Name ?? Catalog.PickName(_rnd, res, ns) : Catalog.PickName(_rnd, res, res.Namespaced ? ns : "");
            Object(r, res, name, typeMeta: false, rv: r.Rv - 1 - _rnd.Next(90_000), request: false, managed: false, itemNs: res.Namespaced ? ns : null);
        }
        _w.EndArray();
        _w.EndObject();
    }

    /// <summary>Dispatch to the writer for the resource's kind.</summary>
    private void Object(Request r, Res res, string? name, bool typeMeta, long rv, bool request, bool managed = false, bool deleting = false, string? itemNs = null)
    {
        var ns = itemNs ?? r.Ns ?? "";
        name ??= "app";
        var o = new Obj(res, ns, name, typeMeta, rv, request, managed, deleting, r);
        switch (res.Kind)
        {
            case "Pod": Pod(o); break;
            case "ConfigMap": ConfigMap(o); break;
            case "Secret": Secret(o); break;
            case "Lease": Lease(o); break;
            case "Deployment" or "ReplicaSet": Deployment(o); break;
            case "Node": Node(o); break;
            case "Namespace": Namespace(o); break;
            case "ServiceAccount": ServiceAccount(o); break;
            case "Event": Event(o); break;
            case "Endpoints": Endpoints(o); break;
            case "EndpointSlice": EndpointSlice(o); break;
            case "Service": Service(o); break;
            case "RoleBinding" or "ClusterRoleBinding": RoleBinding(o); break;
            default: Generic(o); break;
        }
    }

    /// <summary>What an object writer needs to know.</summary>
    private readonly record struct Obj(Res Res, string Ns, string Name, bool TypeMeta, long Rv, bool Request, bool Managed, bool Deleting, Request Req)
    {
        public string Key => Res.Kind + "/" + Ns + "/" + Name;
    }

    private void TypeMeta(Obj o)
    {
        if (!o.TypeMeta)
        {
            return;
        }

        _w.Str("kind", o.Res.Kind);
        _w.Str("apiVersion", o.Res.ApiVersion);
    }

    /// <summary>Opens "metadata" and writes the ObjectMeta fields up to creationTimestamp; the caller closes it.</summary>
    private void Meta(Obj o, string? generateName = null, long generation = 0)
    {
        _w.Obj("metadata");
        if (generateName == null || !o.Request)
        {
            _w.Str("name", o.Name);
        }

        if (generateName != null)
        {
            _w.Str("generateName", generateName);
        }

        if (o.Ns.Length > 0)
        {
            _w.Str("namespace", o.Ns);
        }

        if (o.Request && o.Rv == 0)
        {
            _w.NullProp("creationTimestamp");
            return;
        }
        _w.Str("uid", Ids.StableUuid(o.Key));
        _w.Str("resourceVersion", Rv(o.Rv));
        if (generation > 0)
        {
            _w.Num("generation", generation);
        }

        _w.Time("creationTimestamp", Created(o));
        if (o.Deleting)
        {
            _w.Time("deletionTimestamp", o.Req.Received + 30_000_000);
            _w.Num("deletionGracePeriodSeconds", 30);
        }
    }

    private long Created(Obj o) =>
        o.Req.Verb == "create" && o.Req.Sub == null && o.Name == (o.Req.BodyName ?? o.Req.GeneratedName) ? o.Req.Received / 1_000_000 * 1_000_000 : Catalog.CreatedMicros(_start, o.Key);

    /// <summary>An integer as text (resourceVersion, label values), culture-free.</summary>
    private static string Rv(long rv) => rv.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Labels(params string[] keyValues)
    {
        _w.Obj("labels");
        for (var i = 0; i < keyValues.Length; i += 2)
        {
            _w.Str(keyValues[i], keyValues[i + 1]);
        }

        _w.EndObject();
    }

    private void ManagedField(string manager, string operation, string apiVersion, long time, string fieldsV1, string? subresource = null)
    {
        _w.StartObject();
        _w.Str("manager", manager);
        _w.Str("operation", operation);
        _w.Str("apiVersion", apiVersion);
        _w.Time("time", time);
        _w.Str("fieldsType", "FieldsV1");
        _w.RawProp("fieldsV1", fieldsV1);
        if (subresource != null)
        {
            _w.Str("subresource", subresource);
        }

        _w.EndObject();
    }

    private void OwnerRef(string apiVersion, string kind, string name, string uid, bool controller = true)
    {
        _w.StartObject();
        _w.Str("apiVersion", apiVersion);
        _w.Str("kind", kind);
        _w.Str("name", name);
        _w.Str("uid", uid);
        _w.Flag("controller", controller);
        _w.Flag("blockOwnerDeletion", true);
        _w.EndObject();
    }

    /// <summary>Any other kind: metadata with the usual labels and an empty spec.</summary>
    private void Generic(Obj o)
    {
        _w.StartObject();
        TypeMeta(o);
        Meta(o, generation: 1 + (long)(Ids.Hash(o.Key) % 7));
        Labels("app.kubernetes.io/managed-by", "argocd", "app.kubernetes.io/name", o.Req.Workload?.Name ?? o.Name);
        _w.EndObject();
        _w.EmptyObj("spec");
        if (!o.Request)
        {
            _w.Obj("status");
            _w.Arr("conditions");
            _w.StartObject();
            _w.Str("type", "Ready");
            _w.Str("status", "True");
            _w.Time("lastTransitionTime", Catalog.CreatedMicros(_start, o.Key) + 60_000_000);
            _w.Str("reason", "Ready");
            _w.EndObject();
            _w.EndArray();
            _w.EndObject();
        }
        _w.EndObject();
    }
}
