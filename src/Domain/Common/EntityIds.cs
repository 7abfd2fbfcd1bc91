namespace Cohorts.Domain;

/// <summary>
/// Ids that clients choose (cohort ids, reviewer ids). They appear in URLs, blob names and orchestration instance
/// ids, so they keep to letters, digits and <c>- _ .</c>; that also keeps them free of the characters the durable
/// backend forbids in instance ids.
/// </summary>
public static class EntityIds
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Null when <paramref name="id"/> is acceptable, otherwise the reason.</summary>
    public static string? Validate(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "An id is required.";
        }

        if (id.Length > MaxLength)
        {
            return $"'{id}' is longer than {MaxLength} characters.";
        }

        if (!char.IsAsciiLetterOrDigit(id[0]) || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return $"'{id}' must start with a letter or digit and hold only letters, digits, '-', '_' and '.'.";
        }

        return null;
    }
}
