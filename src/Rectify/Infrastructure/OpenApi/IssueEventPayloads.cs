using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Rectify.Issues;

namespace Rectify.Infrastructure.OpenApi;

/// <summary>Marks the property that carries an issue event's payload (history, audit, the change feed), typed object in C#.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IssueEventPayloadAttribute : Attribute;

/// <summary>
/// States in the document what an issue event's payload can be: any one of the issue events, each a schema of its own
/// (IssueCollected, IssueAssigned, ...), so a client reads `data` by the entry's `type` into a typed record. There is no
/// discriminator: the payload is the event as recorded, and its stored name sits beside it in `type`.
/// </summary>
public static class IssueEventPayloads
{
    private static readonly Type[] Events =
        IssueEventNames.All.Keys.Where(t => typeof(IIssueEvent).IsAssignableFrom(t)).OrderBy(t => t.Name).ToArray();

    /// <summary>The answer records with a payload property, and its JSON name.</summary>
    private static readonly (string Schema, string Property)[] Carriers = typeof(IssueEventPayloads).Assembly.GetTypes()
        .SelectMany(t => t.GetProperties().Where(p => p.GetCustomAttribute<IssueEventPayloadAttribute>() is not null)
            .Select(p => (t.Name, System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name))))
        .ToArray();

    public static async Task AddAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellation)
    {
        document.Components ??= new OpenApiComponents();
        var schemas = document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var choices = new List<IOpenApiSchema>();
        foreach (var type in Events)
        {
            if (!schemas.ContainsKey(type.Name)) document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellation));
            choices.Add(new OpenApiSchemaReference(type.Name, document));
        }
        foreach (var (name, property) in Carriers)
            if (schemas.TryGetValue(name, out var carrier) && carrier is OpenApiSchema { Properties: { } properties } && properties.ContainsKey(property))
                properties[property] = new OpenApiSchema
                {
                    Description = "The event as recorded: the record the entry's `type` names (issue_collected.v1 → IssueCollected, ...). " +
                                  "Personal data is masked as the caller's scope requires.",
                    AnyOf = choices
                };
    }
}
