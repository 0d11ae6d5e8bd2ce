using JasperFx.CodeGeneration;
using Microsoft.OpenApi;
using Wolverine.Http;

namespace Rectify.ReferenceData.Changing;

/// <summary>
/// States in the API document that the endpoint reads a household register file as its body (CSV or XLSX). The
/// endpoint reads the body itself, to name a wrong media type in a 400 rather than answer 415, so no binding declares it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RegisterFileBodyAttribute : ModifyHttpChainAttribute
{
    public override void Modify(HttpChain chain, GenerationRules rules) =>
        chain.Metadata.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var file = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The register: a header row, then householdId (or 户号) and optionally address (or 地址); CSV in UTF-8 or the first sheet of an XLSX.",
                Content = new Dictionary<string, OpenApiMediaType> { ["text/csv"] = file, [Querying.Exports.XlsxType] = file }
            };
            return Task.CompletedTask;
        });
}
