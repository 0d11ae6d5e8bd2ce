using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Rectify.Infrastructure.Requests;

/// <summary>
/// Content types an endpoint's success answer also comes in as a file (an export as CSV or XLSX, chosen by ?format=),
/// beside the JSON record its ProducesResponseType states. <see cref="FileAnswers"/> adds them to the document.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileAnswersAttribute(int status, params string[] contentTypes) : Attribute
{
    public const string Csv = "text/csv";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public int Status { get; } = status;
    public IReadOnlyList<string> ContentTypes { get; } = contentTypes;
}

/// <summary>Writes <see cref="FileAnswersAttribute"/> into the operation's answer: each content type as a binary string.</summary>
public sealed class FileAnswers : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var files in context.Description.ActionDescriptor.EndpointMetadata.OfType<FileAnswersAttribute>())
        {
            operation.Responses ??= new OpenApiResponses();
            var key = files.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.TryGetValue(key, out var answer) || answer is not OpenApiResponse response) continue;
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var type in files.ContentTypes)
                response.Content[type] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
        }
        return Task.CompletedTask;
    }
}
