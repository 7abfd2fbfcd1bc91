using System.Buffers.Text;
using System.Text;

namespace Cohorts.Application;

/// <summary>
/// The continuation tokens clients page with: the store's own token, bound to the list it continues (a cohort's roster,
/// say), so that a token that was not issued for that list is refused as a bad request rather than read as an empty page.
/// </summary>
public static class PageTokens
{
    /// <summary>The token to give a client for the store's <paramref name="inner"/> token of <paramref name="scope"/>; null at the end.</summary>
    public static string? Wrap(string scope, string? inner) =>
        inner is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{scope}\n{inner}"));

    /// <summary>
    /// A page of <paramref name="items"/> ordered by their key (ordinal; newest first when <paramref name="descending"/>),
    /// after the key <paramref name="token"/> names, and the token of the next page (null at the end). For lists read
    /// whole from a store that promises no order; a token of another list is refused.
    /// </summary>
    public static Result<(List<T> Items, string? ContinuationToken)> Slice<T>(
        IEnumerable<T> items, Func<T, string> key, string scope, int pageSize, string? token, bool descending = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        string? after = null;
        if (token is not null && !TryUnwrap(scope, token, out after))
        {
            return Failure.ForeignContinuationToken();
        }

        IEnumerable<T> rest = items.Where(i => after is null || (descending ? string.CompareOrdinal(key(i), after) < 0 : string.CompareOrdinal(key(i), after) > 0));
        List<T> page = (descending ? rest.OrderByDescending(key, StringComparer.Ordinal) : rest.OrderBy(key, StringComparer.Ordinal)).Take(pageSize + 1).ToList();
        bool more = page.Count > pageSize;
        page = page.Take(pageSize).ToList();
        return (page, more ? Wrap(scope, key(page[^1])) : null);
    }

    /// <summary>The store's token inside <paramref name="token"/>, when it was issued for <paramref name="scope"/>.</summary>
    public static bool TryUnwrap(string scope, string token, out string? inner)
    {
        ArgumentNullException.ThrowIfNull(scope);
        inner = null;
        if (string.IsNullOrEmpty(token) || token.Length > 4096 || !Base64Url.IsValid(token))
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (!text.StartsWith(scope + "\n", StringComparison.Ordinal) || text.Length == scope.Length + 1)
        {
            return false;
        }

        inner = text[(scope.Length + 1)..];
        return true;
    }
}
