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
}
