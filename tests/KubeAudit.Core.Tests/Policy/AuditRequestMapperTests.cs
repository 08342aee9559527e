using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Tests.Policy;

public class AuditRequestMapperTests
{
    private static AuditEvent Event(string user, string objectRef, string uri = "/api/v1/namespaces/default/pods", string verb = "get", string apiVersion = "audit.k8s.io/v1") =>
        ReaderHelpers.ParseOne($$"""
            {"kind":"Event","apiVersion":"{{apiVersion}}","level":"Metadata","auditID":"1","stage":"ResponseComplete","requestURI":"{{uri}}","verb":"{{verb}}",
             "user":{{user}}{{(objectRef.Length == 0 ? "" : ",\"objectRef\":" + objectRef)}},"requestReceivedTimestamp":null,"stageTimestamp":null}
            """);

    [Fact]
    public void ResourceEvent_MapsEveryField()
    {
        var e = Event(
            """{"username":"alice","groups":["devs","system:authenticated"]}""",
            """{"resource":"deployments","namespace":"web","name":"api","apiGroup":"apps","apiVersion":"v1","subresource":"scale"}""",
            "/apis/apps/v1/namespaces/web/deployments/api/scale?timeout=5s",
            "update");

        var r = AuditRequestMapper.FromEvent(e);

        Assert.Equal("alice", r.User);
        Assert.Equal(["devs", "system:authenticated"], r.Groups);
        Assert.Equal("update", r.Verb);
        Assert.True(r.IsResourceRequest);
        Assert.Equal(("web", "apps", "v1", "deployments", "scale", "api"), (r.Namespace, r.ApiGroup, r.ApiVersion, r.Resource, r.Subresource, r.Name));
        Assert.Equal("/apis/apps/v1/namespaces/web/deployments/api/scale", r.Path);
    }

    [Fact]
    public void EmptyUser_IsNoUserAtAll()
    {
        var r = AuditRequestMapper.FromEvent(Event("{}", ""));

        Assert.Null(r.User);
        Assert.Empty(r.Groups);
    }

    [Fact]
    public void GroupsWithoutName_IsAUserWithAnEmptyName()
    {
        var r = AuditRequestMapper.FromEvent(Event("""{"groups":["system:unauthenticated"]}""", ""));

        Assert.Equal(string.Empty, r.User);
        Assert.Equal(["system:unauthenticated"], r.Groups);
    }

    [Fact]
    public void NoObjectRef_IsANonResourceRequest_WithTheDecodedPath()
    {
        var r = AuditRequestMapper.FromEvent(Event("""{"username":"u"}""", "", "/logs/a%20b%2Fc.log?x=%3F"));

        Assert.False(r.IsResourceRequest);
        Assert.Equal("/logs/a b/c.log", r.Path);
        Assert.Equal(string.Empty, r.Namespace);
        Assert.Equal(string.Empty, r.Resource);
    }

    [Fact]
    public void CoreGroupAndClusterScope_AreEmptyStrings()
    {
        var r = AuditRequestMapper.FromEvent(Event("""{"username":"u"}""", """{"resource":"nodes","name":"n1","apiVersion":"v1"}"""));

        Assert.True(r.IsResourceRequest);
        Assert.Equal(string.Empty, r.ApiGroup);
        Assert.Equal(string.Empty, r.Namespace);
    }

    [Fact]
    public void V1alpha1_TakesTheGroupFromApiVersion()
    {
        var r = AuditRequestMapper.FromEvent(Event(
            """{"username":"u"}""",
            """{"resource":"clusterroles","name":"edit","apiVersion":"rbac.authorization.k8s.io/v1"}""",
            apiVersion: "audit.k8s.io/v1alpha1"));

        Assert.Equal("rbac.authorization.k8s.io", r.ApiGroup);
        Assert.Equal("v1", r.ApiVersion);
    }

    [Fact]
    public void NullAssignments_BecomeEmpty()
    {
        var r = new AuditRequest { Verb = null!, Groups = null!, Path = null!, Namespace = null! };

        Assert.Equal(string.Empty, r.Verb);
        Assert.Empty(r.Groups);
        Assert.Equal(string.Empty, r.Path);
        Assert.Equal(string.Empty, r.Namespace);
    }
}
