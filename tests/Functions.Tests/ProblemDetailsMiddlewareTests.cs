using System.Text.Json.Nodes;
using Cohorts.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace Cohorts.Functions.Tests;

/// <summary>The Functions host answers a failing HTTP function as the server does: problem details, never a bare 500.</summary>
public class ProblemDetailsMiddlewareTests
{
    private readonly ProblemDetailsMiddleware middleware = new(NullLogger<ProblemDetailsMiddleware>.Instance);

    [Fact]
    public async Task AFunctionThatThrows_AnswersAnInternalErrorProblem_WithoutItsInsides()
    {
        (FunctionContext context, HttpContext http) = HttpFunction();

        await middleware.Invoke(context, _ => throw new InvalidOperationException("table 'rosters' said: secret connection detail"));

        (int status, string? type, JsonNode body) = Answer(http);
        Assert.Equal((500, "application/problem+json"), (status, type));
        Assert.Equal("internalError", body["code"]!.GetValue<string>());
        Assert.DoesNotContain("secret", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOverTheLimit_Answers413_PayloadTooLarge()
    {
        (FunctionContext context, HttpContext http) = HttpFunction();

        await middleware.Invoke(context, _ => throw new BadHttpRequestException("Request body too large.", 413));

        (int status, _, JsonNode body) = Answer(http);
        Assert.Equal((413, "payloadTooLarge"), (status, body["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AStoreKeptBusyByConcurrentWriters_Answers503_WithRetryAfter()
    {
        (FunctionContext context, HttpContext http) = HttpFunction();

        await middleware.Invoke(context, _ => throw new Cohorts.Domain.StoreBusyException("Concurrent changes to participant 'P1' kept this one from being stored."));

        (int status, _, JsonNode body) = Answer(http);
        Assert.Equal((503, "busy", "1"), (status, body["code"]!.GetValue<string>(), http.Response.Headers.RetryAfter.ToString()));
    }

    [Fact]
    public async Task AFunctionThatSucceeds_IsLeftAlone()
    {
        (FunctionContext context, HttpContext http) = HttpFunction();

        await middleware.Invoke(context, c => { c.GetHttpContext()!.Response.StatusCode = 201; return Task.CompletedTask; });

        Assert.Equal((201, 0L), (http.Response.StatusCode, http.Response.Body.Length));
    }

    [Fact]
    public async Task ANonHttpTrigger_Rethrows_SoTheHostRetriesIt()
    {
        FunctionContext context = Substitute.For<FunctionContext>();
        context.Items.Returns(new Dictionary<object, object>());

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.Invoke(context, _ => throw new InvalidOperationException("blob trigger failed")));
    }

    private static (FunctionContext Context, HttpContext Http) HttpFunction()
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        FunctionContext context = Substitute.For<FunctionContext>();
        // where the ASP.NET Core integration keeps the request's HttpContext (what GetHttpContext reads)
        context.Items.Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        FunctionDefinition definition = Substitute.For<FunctionDefinition>();
        definition.Name.Returns("CreateCohort");
        context.FunctionDefinition.Returns(definition);
        return (context, http);
    }

    private static (int Status, string? MediaType, JsonNode Body) Answer(HttpContext http)
    {
        http.Response.Body.Position = 0;
        string body = new StreamReader(http.Response.Body).ReadToEnd();
        return (http.Response.StatusCode, http.Response.ContentType?.Split(';')[0], JsonNode.Parse(body)!);
    }
}
