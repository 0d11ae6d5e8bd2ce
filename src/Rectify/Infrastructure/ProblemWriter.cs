using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Rectify.Infrastructure;

/// <summary>
/// Writes every problem that goes through <see cref="IProblemDetailsService"/> (our own, the exception handlers', the
/// status-code pages', Wolverine's) as <c>application/problem+json</c> with a catalogue <c>type</c>
/// (<see cref="ProblemTypes"/>), whatever the request's Accept header says: an error is never an empty body. Two answers
/// of the framework are translated: a query value Wolverine could not parse becomes the same 400 validation shape as a
/// bad body field, and Wolverine's refusals of an Idempotency-Key get their catalogue types.
/// </summary>
public sealed class ProblemWriter(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    /// <summary>Registered ahead of ASP.NET Core's own writer, which refuses a client that does not accept JSON.</summary>
    public static void Add(IServiceCollection services)
    {
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, ProblemWriter>());
        services.AddProblemDetails();
    }

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = Normalised(http, context.ProblemDetails);
        http.Response.StatusCode = problem.Status!.Value;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
        var options = json.Value.SerializerOptions;
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, options.GetTypeInfo(problem.GetType()), "application/problem+json",
            http.RequestAborted));
    }

    public static ProblemDetails Normalised(HttpContext http, ProblemDetails problem)
    {
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;

        // Wolverine's answer to "?page=abc" (RejectUnparseableQueryValues) names the parameter in an extension.
        // Not ours: ProblemHttpResult fills in an RFC section link as the type of a problem written without one.
        var ours = ProblemTypes.Find(problem.Type) is not null;
        if (status == StatusCodes.Status400BadRequest && !ours && problem is not HttpValidationProblemDetails
            && problem.Extensions.TryGetValue("parameter", out var named) && named is string parameter)
            return QueryValue(parameter, http.Request.Query[parameter].ToString(), problem.Detail);

        // Wolverine refuses a repeated Idempotency-Key with a bare 409 (first still running) or 422 (other request).
        if (!ours && status is StatusCodes.Status409Conflict or StatusCodes.Status422UnprocessableEntity
            && http.Request.Headers.ContainsKey(Idempotency.HeaderName))
        {
            var refusal = status == StatusCodes.Status409Conflict ? ProblemTypes.IdempotencyInFlight : ProblemTypes.IdempotencyConflict;
            problem.Type = refusal.Uri;
            problem.Title = refusal.Title;
            if (status == StatusCodes.Status409Conflict)
                http.Response.Headers.RetryAfter = Idempotency.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (ProblemTypes.Find(problem.Type) is null)
        {
            var type = ProblemTypes.ForStatus(status);
            problem.Type = type.Uri;
            problem.Title ??= type.Title;
        }
        return problem;
    }

    /// <summary>A query value that does not parse, as a bad body field is answered: one 400 naming it.</summary>
    private static HttpValidationProblemDetails QueryValue(string parameter, string given, string? detail)
    {
        const string marker = "expected type ";
        var expected = detail is not null && detail.LastIndexOf(marker, StringComparison.Ordinal) is >= 0 and var at
            ? detail[(at + marker.Length)..].Trim()
            : "";
        var reason = $"{Expectation(expected)} (got '{given}').";
        return Problems.Validation(new Dictionary<string, string[]> { [parameter] = [reason] });
    }

    private static string Expectation(string type) => type switch
    {
        "int" or "long" or "short" or "uint" or "ulong" or "Int32" or "Int64" => "Must be a whole number",
        "decimal" or "double" or "float" => "Must be a number",
        "bool" or "Boolean" => "Must be true or false",
        "System.Guid" or "Guid" => "Must be a UUID",
        "System.DateOnly" or "DateOnly" => "Must be a date written yyyy-MM-dd",
        "System.DateTimeOffset" or "DateTimeOffset" or "System.DateTime" or "DateTime" => "Must be an ISO 8601 date and time with an offset",
        _ when EnumNamed(type) is { } values => $"Must be one of: {string.Join(", ", values)}",
        _ => $"Must be a {type}"
    };

    private static IEnumerable<string>? EnumNamed(string type) =>
        typeof(ProblemWriter).Assembly.GetType(type) is { IsEnum: true } e
            ? Enum.GetNames(e).Select(n => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(n))
            : null;
}
