using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Rectify.Infrastructure.Requests;

/// <summary>
/// Puts the answers an endpoint declares on itself (<see cref="ProblemAnswersAttribute"/>, ProducesResponseType,
/// EndpointSummary, Tags) into its endpoint metadata, in place of the framework's guesses, for the API document.
/// </summary>
public static class DeclaredAnswers
{
    private const string Problem = "application/problem+json";

    /// <summary>Whether the endpoint declares its own answers (then ApiDocument's route tables leave it alone).</summary>
    public static bool Apply(HttpChain chain)
    {
        var method = chain.Method.Method;
        if (method.GetCustomAttribute<ProblemAnswersAttribute>() is not { } declared) return false;
        var anonymous = chain.HasAttribute<AllowAnonymousAttribute>();

        var answers = method.GetCustomAttributes().OfType<IProducesResponseTypeMetadata>().ToList<IProducesResponseTypeMetadata>();
        var problems = declared.Statuses.ToHashSet();
        if (RequestShape.JsonBodyOf(chain) is not null) problems.UnionWith([400, 413]);
        if (!anonymous) problems.Add(401);
        foreach (var status in problems.Order())
            answers.Add(new ProducesResponseTypeMetadata(status,
                status == 400 ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), [Problem]));

        var body = RequestShape.JsonBodyOf(chain);
        var described = method.GetCustomAttributes()
            .Where(a => a is ITagsMetadata or IEndpointSummaryMetadata or IEndpointDescriptionMetadata or FileAnswersAttribute).ToList();
        chain.Metadata.Finally(endpoint =>
        {
            foreach (var guess in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().ToList()) endpoint.Metadata.Remove(guess);
            foreach (var answer in answers) endpoint.Metadata.Add(answer);
            foreach (var attribute in described.Where(a => !endpoint.Metadata.Contains(a))) endpoint.Metadata.Add(attribute);
            if (body is null) return;
            // Every body is read as JSON whatever its content type (RequestShape); see RequestBodies.
            foreach (var accepts in endpoint.Metadata.OfType<IAcceptsMetadata>().ToList()) endpoint.Metadata.Remove(accepts);
            endpoint.Metadata.Add(new JsonBodyMetadata(body));
        });
        return true;
    }
}
