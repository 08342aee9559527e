using System.Text.Json;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Formats;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>Field values of a few events per shape, checked against what jq reads from the same files.</summary>
public class CorpusShapeValueTests
{
    [Fact]
    public void PrettySingleEvent_Afcollins_FieldsAndOwnBytes()
    {
        var path = FormatTestHelpers.Corpus("afcollins-single-event.json");

        var ev = Assert.Single(AuditSource.ReadFile(path).Events());

        Assert.Equal(1, ev.Line);
        Assert.Equal("532b1164-8b26-4b49-95f2-907424a80cac", ev.AuditId);
        Assert.Equal("update", ev.Verb);
        Assert.Equal("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/ip-10-0-31-19.us-west-2.compute.internal?timeout=10s", ev.RequestUri);
        Assert.Equal("system:node:ip-10-0-31-19.us-west-2.compute.internal", ev.Username);
        Assert.Equal(["system:nodes", "system:authenticated"], ev.User.Groups);
        Assert.Equal(["10.0.6.159"], ev.SourceIPs);
        Assert.Equal("coordination.k8s.io", ev.ObjectRef!.ApiGroup);
        Assert.Equal("19706", ev.ObjectRef.ResourceVersion);
        Assert.Equal(200, ev.Code);
        Assert.Equal(DateTimeOffset.Parse("2023-09-01T15:37:02.744516Z", System.Globalization.CultureInfo.InvariantCulture), ev.RequestReceivedTimestamp);
        Assert.Equal(File.ReadAllText(path).Trim(), ev.ToJson());
    }

    [Fact]
    public void PrettySingleEvent_WithBom_SysdigKubeAuditLog()
    {
        var path = FormatTestHelpers.Corpus("sysdig-aks-sample_KubeAuditLog_event.json");

        var ev = Assert.Single(AuditSource.ReadFile(path).Events());

        Assert.Equal(1, ev.Line);
        Assert.Equal("71749feb-8e92-43e6-a72f-af6171f811ee", ev.AuditId);
        Assert.Equal("RequestResponse", ev.Level);
        Assert.Equal("system:serviceaccount:kube-system:daemon-set-controller", ev.Username);
        Assert.Equal("controllerrevisions", ev.Resource);
        Assert.Equal("kube-proxy-56987cf666", ev.Name);
        Assert.Equal("293957", ev.ObjectRef!.ResourceVersion);
        Assert.Equal(TimeSpan.FromTicks(65380), ev.Latency); // 22:32:45.314027 → .320565
        using var request = JsonDocument.Parse(ev.RequestObject!.ToString());
        using var response = JsonDocument.Parse(ev.ResponseObject!.ToString());
        Assert.Equal("ControllerRevision", request.RootElement.GetProperty("kind").GetString());
        Assert.Equal(["apiVersion", "data", "kind", "metadata", "revision"], request.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("296206", response.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        Assert.Equal('{', ev.ToJson()[0]); // the BOM is not part of the event
    }

    [Fact]
    public void PrettySingleEvent_LeadingSpace_ApisnoopBadAuditEvent()
    {
        var path = FormatTestHelpers.Corpus("apisnoop-testdata", "bad_audit_event.json");

        var ev = Assert.Single(AuditSource.ReadFile(path).Events());

        Assert.Equal(1, ev.Line);
        Assert.Equal("calebiscool", ev.Verb);
        Assert.Equal("Request", ev.Level);
        Assert.Equal(File.ReadAllText(path).Trim(), ev.ToJson());
    }

    [Fact]
    public void EventList_V1Alpha1_ItemWithoutKindOrApiVersion_GroupSplitFromObjectRefApiVersion()
    {
        var ev = Assert.Single(AuditSource.ReadFile(FormatTestHelpers.Corpus("k8s-website-docs", "k8s-website-docs-2017a-v1alpha1-EventList.json")).Events());

        Assert.Equal(5, ev.Line); // the item's "{" in the EventList
        Assert.Null(ev.Kind);
        Assert.Null(ev.ApiVersion); // items inherit nothing from the list
        Assert.Equal("4faf711a-9094-400f-a876-d9188ceda548", ev.AuditId);
        Assert.Equal("system:apiserver", ev.Username);
        Assert.Equal("rbac.authorization.k8s.io", ev.ObjectRef!.ApiGroup);
        Assert.Equal("v1beta1", ev.ObjectRef.ApiVersion);
        Assert.Equal("kube-public", ev.Namespace);
        Assert.Equal(DateTimeOffset.Parse("2017-06-15T23:07:40Z", System.Globalization.CultureInfo.InvariantCulture), ev.RequestReceivedTimestamp);
        Assert.StartsWith("{", ev.ToJson());
        Assert.EndsWith("}", ev.ToJson());
        Assert.Contains("\"auditID\": \"4faf711a", ev.ToJson());
        Assert.DoesNotContain("EventList", ev.ToJson());
    }

    [Fact]
    public void EventList_V1Beta1_SortedKeys_KindAfterItems()
    {
        var ev = Assert.Single(AuditSource.ReadFile(FormatTestHelpers.Corpus("k8s-website-docs", "k8s-website-docs-2017b-v1beta1-EventList.json")).Events());

        Assert.Equal(4, ev.Line);
        Assert.Equal("24f30caf-d7d4-45d5-b7bd-e7af300d7886", ev.AuditId);
        Assert.Equal("kubecfg", ev.Username);
        Assert.Equal("roles", ev.Resource);
        Assert.Equal("jane", ev.Name);
        Assert.Equal("rbac.authorization.k8s.io", ev.ObjectRef!.ApiGroup);
        Assert.Equal(200, ev.Code);
    }

    [Fact]
    public void AzureRecords_OneLine_22EventsFromPropertiesLog()
    {
        var events = AuditSource.ReadFile(FormatTestHelpers.Corpus("sysdig-aks-eventhub-wrapped-event.json")).Events();

        Assert.Equal(22, events.Count);
        Assert.All(events, e => Assert.Equal(1, e.Line)); // the whole batch is on line 1
        var third = events[2];
        Assert.Equal("c8a9b881-23a1-464b-8c82-dae1981b34c1", third.AuditId);
        Assert.Equal("create", third.Verb);
        Assert.Equal("aksService", third.Username);
        Assert.Equal(409, third.Code);
        Assert.Equal("coredns-custom", third.Name);
        Assert.Equal("7a40bd92-240e-4cbc-aa74-36226844ab9d", events[21].AuditId);

        // The event's JSON is the unescaped properties.log string, without its trailing newline.
        Assert.StartsWith("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"c8a9b881", third.ToJson());
        Assert.EndsWith("}}", third.ToJson());
    }

    [Fact]
    public void AzureRecords_SameEventsAsTheUnwrappedJsonLines()
    {
        var wrapped = AuditSource.ReadFile(FormatTestHelpers.Corpus("sysdig-aks-eventhub-wrapped-event.json")).Events();
        var unwrapped = AuditSource.ReadFile(FormatTestHelpers.Corpus("sysdig-aks-eventhub-unwrapped.jsonl")).Events();

        Assert.Equal(unwrapped.Select(e => e.ToJson()), wrapped.Select(e => e.ToJson()));
    }

    [Fact]
    public void AzureSingleRecord_PrettyWithBom_EventFromPropertiesLog()
    {
        var ev = Assert.Single(AuditSource.ReadFile(FormatTestHelpers.Corpus("sysdig-aks-sample_EventHubs_event.json")).Events());

        Assert.Equal(1, ev.Line);
        Assert.Equal("4e2a4193-cb3d-4ff7-bf37-32c392fbc23b", ev.AuditId);
        Assert.Equal("/apis/autoscaling/v2beta1?timeout=32s", ev.RequestUri);
        Assert.Equal("system:serviceaccount:kube-system:generic-garbage-collector", ev.Username);
        Assert.Equal(DateTimeOffset.Parse("2020-05-08T22:44:17.862201Z", System.Globalization.CultureInfo.InvariantCulture), ev.RequestReceivedTimestamp);
    }

    [Fact]
    public void JsonLines_ThroughAuditSource_SameAsJsonLinesReader()
    {
        var path = FormatTestHelpers.Corpus("openshift-clo-audit_in.log");
        using var reader = JsonLinesReader.OpenFile(path);
        var direct = reader.ReadRecords().ToList();

        var viaSource = AuditSource.ReadFile(path).ToList();

        Assert.Equal(100, viaSource.Count);
        Assert.Equal(direct.Select(r => (r.Event!.Line, r.Event.AuditId, r.Event.ToJson())), viaSource.Select(r => (r.Event!.Line, r.Event.AuditId, r.Event.ToJson())));
    }

    [Fact]
    public void LegacyCorpus_2017b_AdvancedAuditLegacyLines()
    {
        var events = AuditSource.ReadFile(FormatTestHelpers.Corpus("k8s-website-docs", "k8s-website-docs-2017b-legacy-advanced-audit.log")).Events();

        Assert.Equal(2, events.Count);
        var received = events[0];
        Assert.Equal(1, received.Line);
        Assert.Equal("c28a95ad-f9dd-47e1-a617-b6dc152db95f", received.AuditId);
        Assert.Equal("RequestReceived", received.Stage);
        Assert.Equal(["172.16.116.128"], received.SourceIPs);
        Assert.Equal("list", received.Verb);
        Assert.Equal("kubecfg", received.Username);
        Assert.Equal(["system:masters", "system:authenticated"], received.User.Groups);
        Assert.Null(received.ImpersonatedUser);
        Assert.Equal("default", received.Namespace);
        Assert.Equal("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", received.RequestUri);
        Assert.Null(received.ResponseStatus); // <deferred>
        Assert.Equal(new DateTimeOffset(2017, 9, 5, 10, 8, 19, TimeSpan.Zero).AddTicks(8853280), received.RequestReceivedTimestamp);
        Assert.Equal(received.RequestReceivedTimestamp, received.StageTimestamp);
        Assert.Equal(200, events[1].Code);
        Assert.Equal(2, events[1].Line);
    }

    [Fact]
    public void LegacyCorpus_2016BasicAudit_ResponseLineMergedIntoRequest()
    {
        var ev = Assert.Single(AuditSource.ReadFile(FormatTestHelpers.Corpus("k8s-website-docs", "k8s-website-docs-2016-legacy-basic-audit.log")).Events());

        Assert.Equal(1, ev.Line);
        Assert.Equal("5c3b8227-4af9-4322-8a71-542231c3887b", ev.AuditId);
        Assert.Null(ev.Stage); // the line has no stage=
        Assert.Equal("GET", ev.Verb); // basic audit logged the HTTP method
        Assert.Equal("admin", ev.Username);
        Assert.Empty(ev.User.Groups);
        Assert.Equal("default", ev.Namespace);
        Assert.Equal(200, ev.Code);
        Assert.Equal(new DateTimeOffset(2016, 9, 7, 13, 3, 57, TimeSpan.Zero).AddTicks(4003330), ev.RequestReceivedTimestamp);
        Assert.Equal(new DateTimeOffset(2016, 9, 7, 13, 3, 57, TimeSpan.Zero).AddTicks(4007100), ev.StageTimestamp);
    }

    [Fact]
    public void LegacyCorpus_2017a_BasicPairThenFullLines_OffsetZoneConvertedToUtc()
    {
        var events = AuditSource.ReadFile(FormatTestHelpers.Corpus("k8s-website-docs", "k8s-website-docs-2017a-legacy-audit.log")).Events();

        Assert.Equal([1L, 3L, 4L], events.Select(e => e.Line));
        Assert.Equal(["system:masters", "system:authenticated"], events[0].User.Groups);
        Assert.Equal(200, events[0].Code);
        Assert.Equal(new DateTimeOffset(2017, 3, 21, 7, 57, 9, TimeSpan.Zero).AddTicks(1068410), events[0].RequestReceivedTimestamp);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"], events[1].User.Groups);
        Assert.Equal("kube-controller-manager", events[1].RequestUri!.Split('/')[^1]);
        Assert.Null(events[1].Code);
        Assert.Equal(200, events[2].Code);
    }
}
