using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Cohorts.Domain;

/// <summary>
/// ISO 8601 durations as the API speaks them (<c>PT48H</c>, <c>P90D</c>, <c>PT5S</c>). Only days and smaller units
/// are accepted: years and months have no fixed length, so a checkpoint "P3M" would have no single due date.
/// Weeks (<c>P2W</c>) are accepted as seven days.
/// </summary>
public static partial class IsoDuration
{
    [GeneratedRegex(@"^P(?:(?<w>\d+)W|(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<m>\d+)M)?(?:(?<s>\d+(?:[.,]\d+)?)S)?)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Parses <paramref name="text"/>; false when it is not a day-or-smaller ISO 8601 duration.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TimeSpan? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        Match match = Pattern().Match(text.Trim().ToUpperInvariant());
        if (!match.Success || text.Trim().EndsWith('T') || text.Trim() == "P")
        {
            return false;
        }

        try
        {
            double seconds = Part(match, "s") + (60 * Part(match, "m")) + (3600 * Part(match, "h")) + (86400 * Part(match, "d")) + (7 * 86400 * Part(match, "w"));
            if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }

            value = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Parses <paramref name="text"/> or throws <see cref="FormatException"/> naming the text.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out TimeSpan? value) ? value.Value : throw new FormatException($"'{text}' is not an ISO 8601 duration such as PT48H or P90D.");

    /// <summary>Formats a duration in its shortest ISO 8601 form, with days as the largest unit (<c>P90D</c>, <c>PT48H</c> stays <c>P2D</c>).</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "PT0S";
        }

        string sign = value < TimeSpan.Zero ? "-" : string.Empty;
        TimeSpan abs = value.Duration();
        var text = new System.Text.StringBuilder(sign + "P");
        if (abs.Days > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{abs.Days}D");
        }

        long subDayTicks = abs.Ticks % TimeSpan.TicksPerDay;
        if (subDayTicks > 0)
        {
            var rest = TimeSpan.FromTicks(subDayTicks);
            text.Append('T');
            if (rest.Hours > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{rest.Hours}H");
            }

            if (rest.Minutes > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{rest.Minutes}M");
            }

            long secondTicks = subDayTicks % TimeSpan.TicksPerMinute;
            if (secondTicks > 0)
            {
                decimal seconds = secondTicks / (decimal)TimeSpan.TicksPerSecond;
                text.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('S');
            }
        }

        return text.ToString();
    }

    private static double Part(Match match, string group) =>
        match.Groups[group].Success ? double.Parse(match.Groups[group].Value.Replace(',', '.'), CultureInfo.InvariantCulture) : 0;
}
