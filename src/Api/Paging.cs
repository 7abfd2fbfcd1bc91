using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>The paging parameters every list takes: <c>pageSize</c> (1 to the list's maximum) and <c>continuationToken</c>.</summary>
public static class Paging
{
    /// <summary>
    /// The page size and token of <paramref name="query"/>, <paramref name="standard"/> items when no size is given;
    /// or the problem naming <c>pageSize</c>.
    /// </summary>
    public static (int PageSize, string? ContinuationToken, ApiProblem? Problem) Read(IQueryCollection query, int standard, int most)
    {
        ArgumentNullException.ThrowIfNull(query);
        int pageSize = standard;
        if (query["pageSize"] is { Count: > 0 } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > most))
        {
            return (0, null, Problems.InvalidQuery("pageSize", $"pageSize is a whole number from 1 to {most}"));
        }

        return (pageSize, query["continuationToken"] is { Count: > 0 } token ? token.ToString() : null, null);
    }
}
