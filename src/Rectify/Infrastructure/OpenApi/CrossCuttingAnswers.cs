using Microsoft.OpenApi;

namespace Rectify.Infrastructure.OpenApi;

/// <summary>
/// What any operation may answer whatever its endpoint does, because the pipeline in front of every endpoint answers
/// it: 414 (RequestLimits), 429 (RateLimits) and 503 (DatabaseUnavailable); and what every POST takes and may answer
/// because of its optional Idempotency-Key (Idempotency): the header itself, 409 while the first request with the key
/// is still running, 422 when the key came with another request. Stated on each operation, so that a client generated
/// from the document knows every status it can meet on each call.
/// </summary>
public static class CrossCuttingAnswers
{
    public static void Add(OpenApiDocument document)
    {
        foreach (var (route, path) in document.Paths ?? new OpenApiPaths())
        foreach (var (method, operation) in path.Operations ?? new Dictionary<HttpMethod, OpenApiOperation>())
        {
            operation.Responses ??= new OpenApiResponses();
            Answer(document, operation, 414, ProblemTypes.UriTooLong);
            Answer(document, operation, 429, ProblemTypes.RateLimited);
            // The health check answers its own 503 ({status, reason}) when the database is down.
            if (route != "/health") Answer(document, operation, 503, ProblemTypes.Unavailable);
            if (method != HttpMethod.Post) continue;
            Answer(document, operation, 409, ProblemTypes.IdempotencyInFlight);
            Answer(document, operation, 422, ProblemTypes.IdempotencyConflict);
            operation.Parameters ??= new List<IOpenApiParameter>();
            if (!operation.Parameters.Any(p => p.Name == Idempotency.HeaderName))
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = Idempotency.HeaderName,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "Makes a retry safe: the same key with the same body within the keeping time answers the first " +
                                  "response and stores nothing more (docs/api.md); the key is scoped to the calling client.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String }
                });
        }
    }

    /// <summary>Adds the answer, or where the endpoint already states this status for its own reasons, adds the type to it.</summary>
    private static void Answer(OpenApiDocument document, OpenApiOperation operation, int status, ProblemType type)
    {
        var key = status.ToString();
        var also = $"{type.Title} (`{type.Name}`): {type.When}";
        if (operation.Responses!.TryGetValue(key, out var stated))
        {
            if (stated is OpenApiResponse response && response.Description?.Contains($"`{type.Name}`") != true)
                response.Description = $"{response.Description}. Or: {also}";
            return;
        }
        operation.Responses[key] = new OpenApiResponse
        {
            Description = also,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemShapes.Problem, document) }
            }
        };
    }
}
