using System.Diagnostics;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Serilog.Context;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Infrastructure;

/// <summary>
/// One id per request that other systems can quote: the caller's X-Correlation-Id when it is well formed, else a new
/// one. It comes back in the response header (errors included), is logged with every line of the request, stored with
/// every event the request appends (Marten correlation id) and carried by every message it sends (the envelope's
/// correlation id), which the handlers store with what they write in turn.
/// </summary>
public static class CorrelationIds
{
    public const string Header = "X-Correlation-Id";

    /// <summary>Long enough for a UUID, a W3C trace id or a caller's composite id; short enough for a log line.</summary>
    public const int MaxLength = 128;

    private const string ItemKey = "rectify.correlation-id";

    /// <summary>Letters, digits and - _ . : only, so an id can never break a header, a log line or a query.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>The request's correlation id (set by <see cref="UseCorrelationIds"/> before anything else runs).</summary>
    public static string Of(HttpContext http) => http.Items[ItemKey] as string ?? New();

    /// <summary>Outermost middleware: every answer, even one the exception handler writes, carries the id.</summary>
    public static IApplicationBuilder UseCorrelationIds(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var given = http.Request.Headers[Header].ToString();
        var id = IsValid(given) ? given : New();
        http.Items[ItemKey] = id;
        // Wolverine's own request-id middleware reads this header: it must only ever see the checked id.
        http.Request.Headers[Header] = id;
        // Set when the answer starts: the exception handler clears headers set before it.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        Activity.Current?.SetTag("rectify.correlation_id", id);
        using (LogContext.PushProperty("CorrelationId", id))
            await next(http);
    });

    /// <summary>
    /// Documents written by message handlers keep the correlation and causation ids of the message that wrote them,
    /// as events do (a delivery's inbox entry names the request that routed the issue).
    /// </summary>
    public static void Configure(Marten.StoreOptions options) =>
        options.Schema.For<Routing.InboxEntry>().Metadata(m =>
        {
            m.CorrelationId.Enabled = true;
            m.CausationId.Enabled = true;
        });

    /// <summary>Wolverine HTTP middleware: every envelope the endpoint sends takes the id.</summary>
    public static void Apply(HttpContext http, IMessageContext messaging) => messaging.CorrelationId = Of(http);

    /// <summary>
    /// The same for an endpoint that writes: its Marten session was opened (copying the message context's id) before
    /// any middleware runs, so it takes the id here; Marten stamps events with it when they are saved.
    /// </summary>
    public static void ApplyToSession(HttpContext http, IMessageContext messaging, Marten.IDocumentSession session)
    {
        Apply(http, messaging);
        session.CorrelationId = messaging.CorrelationId;
    }
}

/// <summary>Puts the correlation id into every endpoint's message context, and its Marten session where it writes.</summary>
public sealed class CorrelationIdPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains)
        {
            // Endpoints that write take their session as a parameter (service dependencies are not known yet here).
            var writes = chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(Marten.IDocumentSession));
            chain.Middleware.Insert(0, new MethodCall(typeof(CorrelationIds), writes ? nameof(CorrelationIds.ApplyToSession) : nameof(CorrelationIds.Apply)));
        }
    }
}
