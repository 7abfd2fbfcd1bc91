using Cohorts.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Cohorts.Functions.Http;

/// <summary>
/// What the server's exception handler does, for the Functions host: an HTTP function that throws answers an RFC 7807
/// problem (<see cref="Problems.OfException"/>), never the host's bare 500; the error itself goes to the log.
/// Other triggers rethrow, so the host retries them as it would.
/// </summary>
public sealed partial class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> log) : IFunctionsWorkerMiddleware
{
    /// <inheritdoc/>
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception error) when (context.GetHttpContext() is { Response.HasStarted: false } http)
        {
            Failed(log, context.FunctionDefinition.Name, error);
            http.Response.Clear();
            await ApiResult.OfException(error).ExecuteAsync(http);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed")]
    private static partial void Failed(ILogger log, string function, Exception error);
}
