using System.Globalization;
using System.Text;

namespace Cohorts.Domain;

/// <summary>
/// Reversible escaping of ids for storage keys and orchestration instance ids: the Azure Storage backend and Azure
/// Tables forbid <c>/ \ # ?</c> and control characters in keys; those, and <c>%</c> itself, are percent-encoded.
/// </summary>
public static class KeyEscape
{
    /// <summary>The escaped form of <paramref name="id"/>.</summary>
    public static string Escape(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var escaped = new StringBuilder(id.Length);
        foreach (char c in id)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                escaped.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>Undoes <see cref="Escape"/>.</summary>
    public static string Unescape(string escaped) => Uri.UnescapeDataString(escaped);
}
