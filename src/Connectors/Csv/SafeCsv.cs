using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Cohorts.Connectors.Csv;

/// <summary>
/// CSV the project writes for people to open (LMS imports, reports): every cell safe from formula injection — a value a
/// spreadsheet would run (starting = + - @, tab or carriage return) gets a leading apostrophe. A plain number (−0.5,
/// 1e3) is left as it is: a spreadsheet reads it as a number, never as a formula.
/// </summary>
public static class SafeCsv
{
    /// <summary>Comma-separated, CRLF, quoted where needed.</summary>
    public static CsvConfiguration Plain { get; } = new(CultureInfo.InvariantCulture) { NewLine = "\r\n" };

    /// <summary>A value a spreadsheet will not run as a formula.</summary>
    public static string Safe(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(value) ? "'" + value : value ?? string.Empty;

    private static bool IsPlainNumber(string value) =>
        double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);

    /// <summary>The rows under <paramref name="header"/> (none when null), every cell made safe.</summary>
    public static string Write(CsvConfiguration configuration, string[]? header, IEnumerable<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, configuration))
        {
            foreach (string name in header ?? [])
            {
                csv.WriteField(name);
            }

            if (header is not null)
            {
                csv.NextRecord();
            }

            foreach (string[] row in rows)
            {
                foreach (string cell in row)
                {
                    csv.WriteField(Safe(cell));
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }
}
