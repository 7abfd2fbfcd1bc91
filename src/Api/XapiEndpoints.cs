using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cohorts.Application.Learning;
using Cohorts.Domain.Learning;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>
/// <c>/api/xapi/statements</c>: the Statement resource of an xAPI 1.0.3 LRS. Every request carries
/// <c>X-Experience-API-Version: 1.0.x</c> (400 without) and every answer returns it.
/// </summary>
public sealed class XapiEndpoints(XapiService xapi, TimeProvider time)
{
    /// <summary>The version header.</summary>
    public const string VersionHeader = "X-Experience-API-Version";

    /// <summary>The largest request body accepted.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>The most statements a GET returns at once.</summary>
    public const int MaxLimit = 500;

    /// <summary><c>POST</c>: one statement or an array; 200 with their ids in order.</summary>
    public async Task<IResult> PostAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (List<JsonObject>? batch, ApiResult? refused) = await ReadAsync(request, single: false, cancellationToken);
        if (batch is null)
        {
            return refused!;
        }

        Result<IReadOnlyList<string>> stored = await xapi.ReceiveAsync(batch, null, cancellationToken);
        return Versioned(stored.Value is { } ids ? ApiResult.Json(StatusCodes.Status200OK, ids) : ApiResult.Failure(stored.Failure!));
    }

    /// <summary><c>PUT ?statementId=</c>: one statement under that id; 204.</summary>
    public async Task<IResult> PutAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? id = request.Query["statementId"];
        if (!Guid.TryParse(id, out _))
        {
            return Versioned(ApiResult.Problem(Problems.InvalidQuery("statementId", "statementId is the statement's UUID")));
        }

        (List<JsonObject>? batch, ApiResult? refused) = await ReadAsync(request, single: true, cancellationToken);
        if (batch is null)
        {
            return refused!;
        }

        Result<IReadOnlyList<string>> stored = await xapi.ReceiveAsync(batch, id, cancellationToken);
        return Versioned(stored.Value is not null ? ApiResult.NoContent() : ApiResult.Failure(stored.Failure!));
    }

    /// <summary><c>GET</c>: one statement (<c>statementId</c>), or <c>{statements, more}</c> by <c>since</c>, <c>until</c>, <c>limit</c>, <c>more</c>.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (VersionProblem(request) is { } missing)
        {
            return missing;
        }

        IQueryCollection query = request.Query;
        if (query["statementId"] is { Count: > 0 } one)
        {
            if (query.Count > 1)
            {
                return Versioned(ApiResult.Problem(Problems.InvalidQuery("statementId", "statementId is not combined with other parameters")));
            }

            Result<StoredStatement> found = await xapi.GetAsync(one.ToString(), cancellationToken);
            return Versioned(found.Value is { } s ? ApiResult.Raw(StatusCodes.Status200OK, s.Statement.Json, "application/json; charset=utf-8") : ApiResult.Failure(found.Failure!));
        }

        DateTimeOffset? since = null, until = null;
        foreach ((string name, Action<DateTimeOffset> set) in new (string, Action<DateTimeOffset>)[] { ("since", v => since = v), ("until", v => until = v) })
        {
            if (query[name] is { Count: > 0 } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value))
                {
                    return Versioned(ApiResult.Problem(Problems.InvalidQuery(name, $"{name} is an ISO 8601 timestamp")));
                }

                set(value);
            }
        }

        int limit = query["limit"] is { Count: > 0 } l && int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out int asked) ? asked : 0;
        limit = limit is <= 0 or > MaxLimit ? MaxLimit : limit;
        string? more = query["more"];
        (IReadOnlyList<StoredStatement> items, string? next) = await xapi.ListAsync(since, until, limit, string.IsNullOrEmpty(more) ? null : more, cancellationToken);
        var result = new JsonObject
        {
            ["statements"] = new JsonArray([.. items.Select(i => JsonNode.Parse(i.Statement.Json))]),
            ["more"] = next is null ? string.Empty : "/api/xapi/statements?" + QueryString.Create(
                [
                    new("more", next),
                    .. new[] { ("since", since), ("until", until) }.Where(p => p.Item2 is not null).Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2!.Value.ToString("O", CultureInfo.InvariantCulture))),
                    new("limit", limit.ToString(CultureInfo.InvariantCulture)),
                ]).Value![1..],
        };
        return Versioned(ApiResult.Raw(StatusCodes.Status200OK, result.ToJsonString(), "application/json; charset=utf-8"));
    }

    private ApiResult Versioned(ApiResult result) =>
        result.WithHeader(VersionHeader, Xapi.Version).WithHeader("X-Experience-API-Consistent-Through", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));

    private ApiResult? VersionProblem(HttpRequest request)
    {
        string? version = request.Headers[VersionHeader];
        return version is not null && (version == "1.0" || version.StartsWith("1.0.", StringComparison.Ordinal))
            ? null
            : Versioned(ApiResult.Problem(ApiProblem.Of(400, ErrorCodes.XapiVersionRequired, "The xAPI version header is missing",
                $"xAPI requests carry {VersionHeader}: 1.0.x (this LRS speaks {Xapi.Version}).", VersionHeader)));
    }

    private async Task<(List<JsonObject>? Batch, ApiResult? Refused)> ReadAsync(HttpRequest request, bool single, CancellationToken cancellationToken)
    {
        if (VersionProblem(request) is { } missing)
        {
            return (null, missing);
        }

        string? mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not "application/json")
        {
            return (null, Versioned(ApiResult.Problem(Problems.UnsupportedMediaType("application/json (an xAPI statement, or an array of them)"))));
        }

        await using MemoryStream? body = await RequestBody.ReadUpToAsync(request, MaxBytes, cancellationToken);
        if (body is null)
        {
            return (null, Versioned(ApiResult.Problem(Problems.TooLarge(MaxBytes))));
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return (null, Versioned(ApiResult.Problem(Problems.InvalidJson($"The body is not JSON (line {e.LineNumber + 1}).", null))));
        }

        List<JsonObject>? batch = parsed switch
        {
            JsonObject one => [one],
            JsonArray many when !single && many.All(n => n is JsonObject) => [.. many.Cast<JsonObject>()],
            _ => null,
        };
        return batch is null
            ? (null, Versioned(ApiResult.Problem(ApiProblem.Of(400, ErrorCodes.InvalidStatement, "Not a statement",
                single ? "A PUT carries one statement, a JSON object." : "The body is a statement (a JSON object) or an array of them.", null))))
            : (batch, null);
    }
}
