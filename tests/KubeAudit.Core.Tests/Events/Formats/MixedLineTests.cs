using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Formats;
using static KubeAudit.Core.Tests.Events.Formats.FormatTestHelpers;

namespace KubeAudit.Core.Tests.Events.Formats;

/// <summary>Line-based inputs are detected per line, whichever kind of line comes first.</summary>
public class MixedLineTests
{
    private static readonly string[] s_lines =
    [
        EventJson("get", "m-plain"),
        $"{{\"timestamp\":1693582622744,\"message\":{Quote(EventJson("list", "m-cloudwatch"))},\"logStreamName\":\"kube-apiserver-audit-1\"}}",
        "2023-09-01T15:37:02.744Z " + EventJson("watch", "m-timestamped"),
        """2017-09-05T06:08:19.885328047-04:00 AUDIT: id="m-legacy" stage="ResponseComplete" ip="172.16.116.128" method="list" user="kubecfg" groups="\"system:masters\"" as="<self>" asgroups="<lookup>" namespace="default" uri="/api" response="200" """,
        $"{{\"time\":\"2020-05-05T16:16:37Z\",\"category\":\"kube-audit\",\"properties\":{{\"log\":{Quote(EventJson("create", "m-azure") + "\n")}}}}}",
        $"{{\"log\":{Quote(EventJson("patch", "m-docker") + "\n")},\"stream\":\"stdout\",\"time\":\"2024-01-01T00:00:00.1Z\"}}",
        "",
        "not an event at all",
        "{\"kind\":\"EventList\",\"items\":[" + EventJson("delete", "m-list1") + "," + EventJson("delete", "m-list2") + "]}",
        "{\"some\":\"object\"}",
        EventJson("update", "m-last"),
    ];

    public static TheoryData<int> Rotations() => [0, 1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Rotations))]
    public void EveryKindOfLine_ComesOutInOrder_WhateverLineComesFirst(int rotation)
    {
        // Rotating changes what the format detector sees first (plain event, CloudWatch, timestamped, legacy...).
        var lines = s_lines.Skip(rotation).Concat(s_lines.Take(rotation)).ToArray();

        var records = Read(string.Join("\r\n", lines) + "\r\n");

        var expected = new List<(long Line, string What)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var what = lines[i] switch
            {
                "" => null,
                "not an event at all" => DiagnosticCodes.InvalidJson,
                "{\"some\":\"object\"}" => DiagnosticCodes.NotAnAuditEvent,
                var l when l.Contains("m-list1", StringComparison.Ordinal) => "m-list1|m-list2",
                var l => System.Text.RegularExpressions.Regex.Match(l, @"m-[a-z]+").Value,
            };
            if (what is not null)
            {
                foreach (var part in what.Split('|'))
                {
                    expected.Add((i + 1, part));
                }
            }
        }

        Assert.Equal(expected, records.Select(r => (r.Event?.Line ?? r.Error!.Line, r.Event?.AuditId ?? r.Error!.Code)));
    }

    [Fact]
    public void PlainFirst_ThenLegacyBasicAudit_PairsAcrossTheJsonLinesReader()
    {
        var text = EventJson("get", "j1") + "\n" +
                   """2016-09-07T13:03:57.1Z AUDIT: id="B" ip="127.0.0.1" method="GET" user="admin" as="<self>" namespace="default" uri="/api" """ + "\n" +
                   EventJson("list", "j2") + "\n" +
                   """2016-09-07T13:03:57.2Z AUDIT: id="B" response="201" """ + "\n";

        var records = Read(text);

        Assert.Equal(["j1", "B", "j2"], records.Events().Select(e => e.AuditId));
        Assert.Equal(201, records[1].Event!.Code);
        Assert.Equal([1L, 2L, 3L], records.Events().Select(e => e.Line));
    }

    [Fact]
    public void BrokenFirstLine_StillReadAsJsonLines()
    {
        var records = Read("{\"verb\":\n" + EventJson("get", "b1") + "\n" + EventJson("list", "b2") + "\n");

        Assert.Equal(DiagnosticCodes.InvalidJson, records[0].Error!.Code);
        Assert.Equal(["b1", "b2"], records.Events().Select(e => e.AuditId));
        Assert.Equal(AuditLogFormat.JsonLines, AuditSource.DetectFormat(System.Text.Encoding.UTF8.GetBytes("{\"verb\":\n" + EventJson() + "\n")));
    }
}
