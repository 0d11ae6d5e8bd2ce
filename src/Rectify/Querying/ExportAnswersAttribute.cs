using JasperFx.CodeGeneration;
using Microsoft.OpenApi;
using Wolverine.Http;

namespace Rectify.Querying;

/// <summary>
/// States in the API document that the endpoint's 200 also comes as a file (format=csv or xlsx): the framework keeps one
/// body type per status, so the JSON answer stays as the endpoint returns it and the file types are added beside it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ExportAnswersAttribute() : ModifyHttpChainAttribute
{
    private static readonly string[] MediaTypes = [Exports.CsvType, Exports.XlsxType];

    public override void Modify(HttpChain chain, GenerationRules rules) =>
        chain.Metadata.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
                foreach (var type in MediaTypes)
                    content[type] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            return Task.CompletedTask;
        });
}
