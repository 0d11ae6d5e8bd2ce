using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Rectify.Infrastructure;

namespace Rectify.Tests.Errors;

/// <summary>
/// Watches every answer of the shared test host: an error (400 and up) must be application/problem+json with a `type`
/// from the catalogue (ProblemTypes). What breaks the rule is kept, and ApiTest fails the test that received it.
/// </summary>
public sealed class ProblemTypeRecorder : IStartupFilter
{
    private static readonly ConcurrentQueue<string> Violations = new();

    /// <summary>Every violation seen since the last call, and forgets them.</summary>
    public static IReadOnlyList<string> Drain()
    {
        var seen = new List<string>();
        while (Violations.TryDequeue(out var violation)) seen.Add(violation);
        return seen;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextStep) =>
        {
            var original = http.Response.Body;
            var capture = new Capture(original, http.Response);
            http.Response.Body = capture;
            try
            {
                await nextStep(http);
            }
            finally
            {
                http.Response.Body = original;
            }
            if (Violation(http, capture.Bytes) is { } violation) Violations.Enqueue(violation);
        });
        next(app);
    };

    private static string? Violation(HttpContext http, byte[] body)
    {
        var status = http.Response.StatusCode;
        // The health check answers its own JSON report (monitoring reads it), not an error of the API.
        if (status < 400 || http.Request.Path.StartsWithSegments("/health")) return null;
        var what = $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString} answered {status}";
        if (http.Response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
            return $"{what} as '{http.Response.ContentType}', not application/problem+json";
        try
        {
            using var json = JsonDocument.Parse(body);
            var type = json.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
            return ProblemTypes.Find(type) is null ? $"{what} with type '{type}', which is not in the catalogue" : null;
        }
        catch (JsonException e)
        {
            return $"{what} with a body that is not JSON: {e.Message}";
        }
    }

    /// <summary>Passes every write on and keeps the body of an error answer.</summary>
    private sealed class Capture(Stream inner, HttpResponse response) : Stream
    {
        private readonly MemoryStream _kept = new();
        public byte[] Bytes => _kept.ToArray();

        private void Keep(ReadOnlySpan<byte> data)
        {
            if (response.StatusCode >= 400 && _kept.Length < 1024 * 1024) _kept.Write(data);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
