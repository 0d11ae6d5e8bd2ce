namespace Rectify.Infrastructure.Requests;

/// <summary>
/// The problem statuses an endpoint answers, stated on the endpoint beside its success answer
/// (<c>[ProducesResponseType&lt;T&gt;(200)]</c>). Each becomes a response with the ProblemDetails schema
/// (HttpValidationProblemDetails for 400) as application/problem+json; 401 is added for every endpoint that needs a
/// key, and 413 for every endpoint that takes a body (see <see cref="DeclaredAnswers"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProblemAnswersAttribute(params int[] statuses) : Attribute
{
    public IReadOnlyList<int> Statuses { get; } = statuses;
}
