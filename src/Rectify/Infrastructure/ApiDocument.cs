using Wolverine.Http;

namespace Rectify.Infrastructure;

/// <summary>
/// The answers each endpoint gives, for the public API document: every endpoint states them on itself
/// (<see cref="Requests.ProblemAnswersAttribute"/> beside its ProducesResponseType, see <see cref="Requests.DeclaredAnswers"/>).
/// One that answers with a bare IResult and states nothing would show as "200, no schema": the service refuses to start
/// with such an endpoint, so the document never hides an answer.
/// </summary>
public static class ApiDocument
{
    public static void Describe(HttpChain chain)
    {
        if (Requests.DeclaredAnswers.Apply(chain)) return;
        if (chain.ResourceType == typeof(IResult))
            throw new InvalidOperationException(
                $"{chain.Method.HandlerType.Name}.{chain.Method.Method.Name} ({chain.RoutePattern?.RawText}) answers with IResult but states no answers: " +
                "add [ProducesResponseType<T>(status)] and [ProblemAnswers(...)] (docs/architecture.md, Typed requests and answers).");
    }
}
