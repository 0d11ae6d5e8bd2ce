using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Rectify.Infrastructure;

/// <summary>
/// OpenTelemetry traces and metrics of the HTTP calls, the Wolverine messages they send and handle, Marten and the
/// SQL below them, exported over OTLP when an endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or
/// Telemetry:OtlpEndpoint) and off otherwise: without a listener no activity is even created.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "rectify";
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string EndpointAlternative = "Telemetry:OtlpEndpoint";

    /// <summary>Activity sources: Wolverine's envelopes and handlers, Marten's sessions and daemon.</summary>
    public static readonly string[] Sources = ["Wolverine", "Marten"];

    /// <summary>Meters: Wolverine names its meter "Wolverine:&lt;service name&gt;".</summary>
    public static readonly string[] Meters = ["Wolverine:*", "Marten"];

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = Endpoint(configuration);
        if (endpoint is null) return;
        // The exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself (adding /v1/traces etc. for
        // http/protobuf); only the alternative setting is handed over.
        var standard = !string.IsNullOrWhiteSpace(configuration[EndpointSetting]);
        void Otlp(OpenTelemetry.Exporter.OtlpExporterOptions o) { if (!standard) o.Endpoint = endpoint; }
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => Traces(tracing).AddOtlpExporter(Otlp))
            .WithMetrics(metrics => Metrics(metrics).AddOtlpExporter(Otlp));
    }

    /// <summary>The OTLP endpoint, or null when telemetry is off; a malformed one is a start-up error naming the setting.</summary>
    public static Uri? Endpoint(IConfiguration configuration)
    {
        var (name, value) = configuration[EndpointSetting] is { Length: > 0 } standard
            ? (EndpointSetting, standard)
            : (EndpointAlternative, configuration[EndpointAlternative]);
        if (string.IsNullOrWhiteSpace(value)) return null;
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"{name} must be an absolute http(s) URL such as http://collector:4317, not '{value}'.");
    }

    /// <summary>What is traced; tests attach an in-memory exporter to the same list.</summary>
    public static TracerProviderBuilder Traces(TracerProviderBuilder tracing) => tracing
        .AddAspNetCoreInstrumentation()
        .AddNpgsql()
        .AddSource(Sources);

    public static MeterProviderBuilder Metrics(MeterProviderBuilder metrics) => metrics
        .AddAspNetCoreInstrumentation()
        .AddNpgsqlInstrumentation()
        .AddMeter(Meters);
}
