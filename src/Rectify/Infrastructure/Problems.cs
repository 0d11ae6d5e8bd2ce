using Microsoft.AspNetCore.Http.HttpResults;

namespace Rectify.Infrastructure;

/// <summary>RFC 7807 answers used across the API.</summary>
public static class Problems
{
    public static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request has invalid fields.",
            Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            Type = "https://rectify.invalid/problems/invalid-request"
        });

    public static ProblemHttpResult Invalid(string field, string reason) =>
        Invalid(new Dictionary<string, string[]> { [field] = [reason] });

    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = $"No {what} with id {id}.",
            Type = "https://rectify.invalid/problems/not-found"
        });

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "This client may not do that.",
            Detail = detail,
            Type = "https://rectify.invalid/problems/forbidden"
        });

    /// <summary>
    /// An error the framework answers without a body (an unknown route, a method the route does not take) as problem
    /// details too, so that every error has the same shape.
    /// </summary>
    public static Task WriteBare(HttpContext http)
    {
        var status = http.Response.StatusCode;
        var (type, title) = status switch
        {
            StatusCodes.Status404NotFound => ("not-found", "No such route: see the API document at /openapi/v1.json."),
            StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", $"The route does not take {http.Request.Method}."),
            _ => ("http-" + status, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status))
        };
        return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = $"{http.Request.Method} {http.Request.Path}",
            Type = $"https://rectify.invalid/problems/{type}"
        }).ExecuteAsync(http);
    }
}
