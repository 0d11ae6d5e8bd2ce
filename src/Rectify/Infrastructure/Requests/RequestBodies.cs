using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Rectify.Infrastructure.Requests;

/// <summary>The JSON body an endpoint binds, kept in its metadata for the document (see <see cref="DeclaredAnswers"/>).</summary>
public sealed record JsonBodyMetadata(Type Type);

/// <summary>
/// Documents the body of an endpoint that binds a typed record. Its accepts-metadata is taken off (DeclaredAnswers):
/// the router would otherwise answer 415 to a body sent without a JSON content type before RequestShape could name
/// what is wrong with it, where every body has always been read as JSON whatever its content type.
/// </summary>
public sealed class RequestBodies : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.RequestBody is not null) return;
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBodyMetadata>().FirstOrDefault() is not { } body) return;
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) }
            }
        };
    }
}
