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
