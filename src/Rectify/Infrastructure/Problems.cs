using Microsoft.AspNetCore.Http.HttpResults;

namespace Rectify.Infrastructure;

/// <summary>RFC 7807 answers used across the API.</summary>
public static class Problems
{
    public static ProblemHttpResult Invalid(IReadOnlyDictionary<string, string[]> errors) => TypedResults.Problem(Validation(errors));

    /// <summary>The one 400 shape for bad input, body fields and query values alike: <c>errors</c> names each.</summary>
    public static HttpValidationProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = ProblemTypes.Validation.Title,
            Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            Type = ProblemTypes.Validation.Uri
        };

    public static ProblemHttpResult Invalid(string field, string reason) =>
        Invalid(new Dictionary<string, string[]> { [field] = [reason] });

    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = $"No {what} with id {id}.",
            Type = ProblemTypes.NotFound.Uri
        });

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = ProblemTypes.Forbidden.Title,
            Detail = detail,
            Type = ProblemTypes.Forbidden.Uri
        });

    /// <summary>
    /// An error the framework answers without a body (an unknown route, a method the route does not take) as problem
    /// details too, so that every error has the same shape.
    /// </summary>
    public static Task WriteBare(HttpContext http)
    {
        var status = http.Response.StatusCode;
        var type = ProblemTypes.ForStatus(status);
        var title = status switch
        {
            StatusCodes.Status404NotFound => "No such route: see the API document at /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"The route does not take {http.Request.Method}.",
            _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)
        };
        return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = $"{http.Request.Method} {http.Request.Path}",
            Type = type.Uri
        }).ExecuteAsync(http);
    }
}
