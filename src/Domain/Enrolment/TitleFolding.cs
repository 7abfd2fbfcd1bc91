using System.Globalization;
using System.Text;

namespace Cohorts.Domain.Enrolment;

/// <summary>
/// A job title, department or job family as the default rules read it, whatever the language it was written in:
/// lower case, accents folded (é → e, ß → ss, ø → o), punctuation and hyphens as spaces (a German compound written
/// "Compliance-Beauftragter" reads as two words), and the seniority and level words that say nothing of the track
/// dropped ("Senior", "Sr.", "Junior", "Principal", "Lead" before a role, "II", "Level 3").
/// </summary>
public static class TitleFolding
{
    private static readonly HashSet<string> Seniority = new(StringComparer.Ordinal)
    {
        "senior", "sr", "snr", "junior", "jr", "jnr", "principal", "staff", "i", "ii", "iii", "iv", "v", "level", "grade", "trainee", "graduate", "associate-level",
    };

    /// <summary>The folded text; empty for null or blank.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var folded = new StringBuilder(text.Length);
        foreach (char c in text.Trim().ToLowerInvariant().Replace("ß", "ss", StringComparison.Ordinal).Normalize(NormalizationForm.FormD))
        {
            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            folded.Append(c switch
            {
                'ø' => 'o',
                'æ' => 'a',
                'œ' => 'o',
                'ł' => 'l',
                _ when char.IsLetterOrDigit(c) => c,
                _ => ' ',
            });
        }

        string[] words = folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(words.Length);
        for (int i = 0; i < words.Length; i++)
        {
            string word = words[i];
            bool level = Seniority.Contains(word) || word.All(char.IsAsciiDigit)
                || (word == "lead" && i == 0 && words.Length > 1); // "Lead Data Scientist", not "Team Lead"
            if (!level || words.Length == 1)
            {
                kept.Add(word);
            }
        }

        return string.Join(' ', kept);
    }
}
