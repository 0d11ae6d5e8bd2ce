using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Tests.Api;

/// <summary>An endpoint that answers a bare IResult must state its answers, or the service does not start.</summary>
public sealed class DeclaredAnswersGuardTests
{
    public sealed class Undeclared
    {
        [WolverineGet("/undeclared")]
        public IResult Get() => Results.Ok();
    }

    public sealed class Declared
    {
        [WolverineGet("/declared")]
        [ProducesResponseType<string>(StatusCodes.Status200OK)]
        [ProblemAnswers(404)]
        public IResult Get() => Results.Ok();
    }

    [Fact]
    public void An_endpoint_answering_a_bare_result_without_declared_answers_is_refused_at_start()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ApiDocument.Describe(HttpChain.ChainFor<Undeclared>(x => x.Get())));
        Assert.Contains("/undeclared", refused.Message);
        Assert.Contains("[ProblemAnswers", refused.Message);

        ApiDocument.Describe(HttpChain.ChainFor<Declared>(x => x.Get()));
    }
}
