using System.Collections;

namespace KubeAudit.Core.Tests.Model;

/// <summary>The model types behind the views print, compare and enumerate as the values they show.</summary>
public sealed class ShownValueTests
{
    [Fact]
    public void A_user_compares_sorts_and_hashes_as_its_name()
    {
        var admin = new UserInfo { Username = "kubernetes-admin", Groups = ["system:masters"] };
        Assert.True(admin.Equals("kubernetes-admin"));
        Assert.True(admin.Equals("Kubernetes-Admin"));
        Assert.False(admin.Equals("alice"));
        Assert.Equal(new UserInfo { Username = "KUBERNETES-ADMIN" }, admin);
        Assert.Equal(StringComparer.OrdinalIgnoreCase.GetHashCode("kubernetes-admin"), admin.GetHashCode());
        Assert.True(admin.CompareTo("alice") > 0);
        Assert.True(admin.CompareTo(new UserInfo { Username = "zed" }) < 0);
        Assert.Equal("kubernetes-admin", admin.ToString());
    }

    [Fact]
    public void A_string_list_prints_its_items_and_stays_a_list()
    {
        StringList ips = new[] { "10.0.0.1", "10.0.0.2" };
        Assert.Equal("10.0.0.1, 10.0.0.2", ips.ToString());
        Assert.Equal(2, ips.Length);
        Assert.Equal("10.0.0.2", ips[1]);
        string[] back = ips;
        Assert.Equal(["10.0.0.1", "10.0.0.2"], back);
        StringList empty = [];
        Assert.Equal(string.Empty, empty.ToString());
    }

    [Fact]
    public void Annotations_print_as_key_value_pairs()
    {
        var map = new AnnotationMap(new Dictionary<string, string> { ["a/decision"] = "allow", ["a/reason"] = "RBAC" });
        Assert.Equal("a/decision=allow; a/reason=RBAC", map.ToString());
    }

    [Theory]
    [InlineData(" {\"a\":1}", typeof(RawJsonObject))]
    [InlineData("[1,2]", typeof(RawJsonArray))]
    [InlineData("\"text\"", typeof(RawJson))]
    public void A_body_is_wrapped_as_the_view_that_fits_it(string json, Type expected)
    {
        var body = RawJson.From(json);
        Assert.Equal(expected, body.GetType());
        Assert.Equal(json, body.ToString());
    }

    [Fact]
    public void An_object_body_is_a_dictionary_of_its_members_and_an_array_body_a_list()
    {
        var body = (IDictionary)RawJson.From("""{"metadata":{"name":"web"},"replicas":3,"ports":[80,443],"ratio":0.5}""");
        Assert.Equal(["metadata", "replicas", "ports", "ratio"], body.Keys.Cast<string>());
        Assert.Equal(3L, body["replicas"]);
        Assert.Equal(0.5, body["ratio"]);
        Assert.Equal("web", ((IDictionary)body["metadata"]!)["name"]);
        Assert.Equal(new object[] { 80L, 443L }, (object[])body["ports"]!);
        Assert.Throws<NotSupportedException>(() => body["replicas"] = 4);

        var patch = (IList)RawJson.From("""[{"op":"remove","path":"/x"}]""");
        Assert.Single(patch);
        Assert.Equal("remove", ((IDictionary)patch[0]!)["op"]);
    }

    [Fact]
    public void An_event_fits_a_body_set_as_a_plain_wrapper()
    {
        var ev = new AuditEvent { RequestObject = new RawJson("""{"kind":"Pod"}"""), ResponseObject = new RawJson("[]") };
        Assert.IsType<RawJsonObject>(ev.RequestObject);
        Assert.IsType<RawJsonArray>(ev.ResponseObject);
    }
}
