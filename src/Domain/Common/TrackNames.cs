namespace Cohorts.Domain;

/// <summary>Track names as the API and HR files spell them: camelCase (<c>builders</c>), matched case-insensitively.</summary>
public static class TrackNames
{
    /// <summary>Every track name in API spelling.</summary>
    public static IReadOnlyList<string> All { get; } = Enum.GetValues<Track>().Select(Name).ToList();

    /// <summary>The API spelling of <paramref name="track"/>.</summary>
    public static string Name(Track track) => track.ToString().ToLowerInvariant();

    /// <summary>Parses a track name; numbers are not track names.</summary>
    public static bool TryParse(string? text, out Track track)
    {
        track = default;
        string trimmed = text?.Trim() ?? string.Empty;
        return trimmed.Length > 0 && !char.IsDigit(trimmed[0]) && Enum.TryParse(trimmed, ignoreCase: true, out track) && Enum.IsDefined(track);
    }
}
