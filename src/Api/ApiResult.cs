using System.Text.Json;
using Cohorts.Connectors.Json;
using Cohorts.Domain;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>
/// A response that writes itself with the product's JSON options, whichever host runs it (the Functions worker
/// does not share the server's configured JSON options). Exposes its status and value so tests can read them.
/// </summary>
public sealed class ApiResult : IResult, IStatusCodeHttpResult, IValueHttpResult, IContentTypeHttpResult
{
    private readonly Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);

    private ApiResult(int statusCode, object? value, string? contentType)
    {
        StatusCode = statusCode;
        Value = value;
        ContentType = contentType;
    }

    /// <inheritdoc/>
    public int? StatusCode { get; }

    /// <inheritdoc/>
    public object? Value { get; }

    /// <inheritdoc/>
    public string? ContentType { get; }

    /// <summary>Headers to add to the response.</summary>
    public IReadOnlyDictionary<string, string> Headers => headers;

    /// <summary>A JSON body with <paramref name="statusCode"/>.</summary>
    public static ApiResult Json(int statusCode, object value) => new(statusCode, value, "application/json; charset=utf-8");

    /// <summary>An RFC 7807 problem.</summary>
    public static ApiResult Problem(ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(problem.Status, problem, "application/problem+json; charset=utf-8");
    }

    /// <summary>What a request that threw <paramref name="error"/> answers (<see cref="Problems.OfException"/>); a 503 says when to retry.</summary>
    public static ApiResult OfException(Exception? error)
    {
        ApiResult result = Problem(Problems.OfException(error));
        return result.StatusCode == StatusCodes.Status503ServiceUnavailable
            ? result.WithHeader("Retry-After", ((int)StoreBusyException.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture))
            : result;
    }

    /// <summary>A use case's failure as an RFC 7807 problem (<see cref="Problems.Of(Failure)"/>).</summary>
    public static ApiResult Failure(Failure failure) => Problem(Problems.Of(failure));

    /// <summary>204, no body.</summary>
    public static ApiResult NoContent() => new(StatusCodes.Status204NoContent, null, null);

    /// <summary>A body that is already serialized (the OpenAPI document).</summary>
    public static ApiResult Raw(int statusCode, string body, string contentType) => new(statusCode, body, contentType);

    /// <summary>A file to download.</summary>
    public static ApiResult File(byte[] content, string contentType, string fileName) =>
        new ApiResult(StatusCodes.Status200OK, content, contentType).WithHeader("Content-Disposition", $"attachment; filename=\"{fileName}\"");

    /// <summary>Adds a response header.</summary>
    public ApiResult WithHeader(string name, string value)
    {
        headers[name] = value;
        return this;
    }

    /// <inheritdoc/>
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        HttpResponse response = httpContext.Response;
        response.StatusCode = StatusCode ?? 200;
        foreach ((string name, string value) in headers)
        {
            response.Headers[name] = value;
        }

        if (Value is null)
        {
            return;
        }

        response.ContentType = ContentType;
        if (Value is string raw)
        {
            await response.WriteAsync(raw, httpContext.RequestAborted);
            return;
        }

        if (Value is byte[] bytes)
        {
            await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
            return;
        }

        await JsonSerializer.SerializeAsync(response.Body, Value, Value.GetType(), CohortsJson.Options, httpContext.RequestAborted);
    }
}
