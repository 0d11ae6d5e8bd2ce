using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Rectify.Infrastructure;
using Rectify.Tests.Support;
using Wolverine.Tracking;

namespace Rectify.Tests.Contract;

/// <summary>The sources the service traces, caught by an in-memory exporter: one escalation is one trace.</summary>
public sealed class TraceTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task An_escalation_is_one_trace_from_the_http_call_through_the_routed_message_to_the_inbox_handler()
    {
        var id = await Collect();
        var spans = new List<Activity>();
        using (var tracing = Telemetry.Traces(Sdk.CreateTracerProviderBuilder()).AddInMemoryExporter(spans).Build())
        {
            var (tracked, _) = await Tracked(() => Post($"/api/v1/issues/{id}/escalate",
                new { version = 1, departmentId = "housing", reason = "镇级无法解决" }, "qicun-office", 200));
            Assert.Empty(tracked.AllExceptions());
            tracing!.ForceFlush();
        }

        var request = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/api/v1/issues/{id}/escalate"));
        var trace = spans.Where(s => s.TraceId == request.TraceId).ToList();
        bool Delivery(Activity s) => s.Source.Name == "Wolverine" && (s.GetTagItem("messaging.message_type") as string ?? "").Contains("DeliverToDepartment");

        Assert.Contains(trace, s => Delivery(s) && s.Kind == ActivityKind.Producer);      // sent by the request
        var handled = Assert.Single(trace, s => Delivery(s) && s.Kind == ActivityKind.Internal && s.DisplayName != "send"); // the inbox handler
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && IsWithin(s, handled)); // its SQL
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && IsWithin(s, request));    // the request's own SQL
    }

    private static bool IsWithin(Activity span, Activity ancestor)
    {
        for (var s = span; s is not null; s = s.Parent)
            if (s.SpanId == ancestor.SpanId) return true;
        return span.ParentSpanId == ancestor.SpanId;
    }
}
