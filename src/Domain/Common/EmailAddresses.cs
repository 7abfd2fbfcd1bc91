using System.Buffers;
using System.Net.Mail;

namespace Cohorts.Domain;

/// <summary>
/// What counts as an email address here: a plain <c>local@domain.tld</c> that <see cref="MailAddress"/> reads back
/// unchanged (no display names), whose domain has a dot, and which does not start with an apostrophe — the text
/// prefix a spreadsheet leaves (<c>'name@example.com</c>), legal by RFC 5322 but never meant.
/// </summary>
public static class EmailAddresses
{
    private static readonly SearchValues<char> LocalCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-");
    private static readonly SearchValues<char> DomainCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");

    /// <summary>Whether <paramref name="text"/> is such an address.</summary>
    public static bool IsPlain(string? text)
    {
        if (string.IsNullOrEmpty(text) || text[0] == '\'')
        {
            return false;
        }

        return IsCommon(text) || (MailAddress.TryCreate(text, out MailAddress? parsed) && parsed.Address == text && parsed.Host.Contains('.', StringComparison.Ordinal));
    }

    /// <summary>local@domain.tld in the characters almost every address uses, decided without parsing.</summary>
    private static bool IsCommon(string email)
    {
        int at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            return false;
        }

        ReadOnlySpan<char> local = email.AsSpan(0, at);
        ReadOnlySpan<char> domain = email.AsSpan(at + 1);
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal) || domain.IndexOf('.') <= 0 || domain[^1] == '.' || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        return !local.ContainsAnyExcept(LocalCharacters) && !domain.ContainsAnyExcept(DomainCharacters);
    }
}
