using System.Globalization;
using Cohorts.Domain.Learning;
using CsvHelper;
using CsvHelper.Configuration;

namespace Cohorts.Connectors.Lms;

/// <summary>
/// Reads an LMS completion report. Two shapes: OneRoster 1.1 <c>results.csv</c> (rows whose <c>scoreStatus</c> is
/// <c>fully graded</c>; <c>lineItemSourcedId</c> is the line item this product exported, <c>{cohortId}-{stepId}</c>,
/// <c>studentSourcedId</c> the participant, <c>scoreDate</c> the completion date), or a plain file with a participant
/// column (participantId, participant_id, user_id, idnumber, employee_id), a step column (stepId, step_id, item_id)
/// and a date column (completedAt, completed_at, completion_date, timecompleted — ISO 8601 or Unix seconds).
/// </summary>
public static class CompletionCsv
{
    private static readonly string[] ParticipantColumns = ["participantid", "participant_id", "user_id", "idnumber", "employee_id", "studentsourcedid"];
    private static readonly string[] StepColumns = ["stepid", "step_id", "item_id"];
    private static readonly string[] DateColumns = ["completedat", "completed_at", "completion_date", "timecompleted", "scoredate"];

    /// <summary>The completion rows of <paramref name="reader"/> and the rows that could not be read.</summary>
    public static (List<CompletionRow> Rows, List<CompletionRowError> Errors) Read(TextReader reader, string cohortId)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<CompletionRow>();
        var errors = new List<CompletionRowError>();
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, BadDataFound = null, MissingFieldFound = null });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            errors.Add(new CompletionRowError(1, "header", "The file is empty: a header row is expected."));
            return (rows, errors);
        }

        string[] names = header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int Column(params string[] candidates) => Array.FindIndex(names, n => candidates.Contains(n));
        bool oneRoster = Column("lineitemsourcedid") >= 0 && Column("studentsourcedid") >= 0;
        int participant = oneRoster ? Column("studentsourcedid") : Column(ParticipantColumns);
        int step = oneRoster ? Column("lineitemsourcedid") : Column(StepColumns);
        int date = oneRoster ? (Column("scoredate") is >= 0 and var d ? d : Column("datelastmodified")) : Column(DateColumns);
        int status = oneRoster ? Column("scorestatus") : -1;
        // a score with its scale: OneRoster's results.csv carries the score, the line item (lineItems.csv) the scale,
        // which this product exports as 0-100; a file that carries resultValueMin/Max beside the score is read as given
        int score = Column("score"), scaleMin = Column("resultvaluemin"), scaleMax = Column("resultvaluemax");
        foreach ((int index, string what) in new[] { (participant, "a participant column (" + string.Join(", ", ParticipantColumns) + ")"), (step, "a step column (" + string.Join(", ", StepColumns) + ")"), (date, "a completion date column (" + string.Join(", ", DateColumns) + ")") })
        {
            if (index < 0)
            {
                errors.Add(new CompletionRowError(1, "header", $"The header has no {what}, and it is not a OneRoster results.csv."));
            }
        }

        if (errors.Count > 0)
        {
            return (rows, errors);
        }

        string prefix = cohortId + "-";
        while (csv.Read())
        {
            int row = csv.Parser.Row;
            string Field(int index) => csv.TryGetField(index, out string? value) ? value ?? string.Empty : string.Empty;
            if (Enumerable.Range(0, names.Length).All(i => Field(i).Length == 0))
            {
                continue;
            }

            bool completes = !oneRoster || status < 0 || string.Equals(Field(status), "fully graded", StringComparison.OrdinalIgnoreCase);
            string scoreText = score >= 0 ? Field(score) : string.Empty;
            if (!completes && scoreText.Length == 0)
            {
                continue; // not finished in the LMS, and no score
            }

            double? scored = null;
            double min = 0, max = 100;
            if (scoreText.Length > 0)
            {
                if (!TryNumber(scoreText, out double raw))
                {
                    errors.Add(new CompletionRowError(row, header[score], $"'{scoreText}' is not a number."));
                    continue;
                }

                if ((scaleMin >= 0 && Field(scaleMin) is { Length: > 0 } minText && !TryNumber(minText, out min))
                    || (scaleMax >= 0 && Field(scaleMax) is { Length: > 0 } maxText && !TryNumber(maxText, out max)))
                {
                    errors.Add(new CompletionRowError(row, header[score], "resultValueMin and resultValueMax are numbers."));
                    continue;
                }

                scored = raw;
            }

            string who = Field(participant), what = Field(step), when = Field(date);
            if (who.Length == 0)
            {
                errors.Add(new CompletionRowError(row, header[participant], "No participant."));
                continue;
            }

            if (oneRoster && !what.StartsWith(prefix, StringComparison.Ordinal))
            {
                errors.Add(new CompletionRowError(row, header[step], $"'{what}' is not a line item of cohort '{cohortId}' (they are named {prefix}{{stepId}})."));
                continue;
            }

            string stepId = oneRoster ? what[prefix.Length..] : what;
            if (stepId.Length == 0)
            {
                errors.Add(new CompletionRowError(row, header[step], "No step."));
                continue;
            }

            if (ParseDate(when) is not { } completedAt)
            {
                errors.Add(new CompletionRowError(row, header[date], $"'{when}' is not a date: use ISO 8601 (2026-03-01T10:00:00Z) or Unix seconds."));
                continue;
            }

            rows.Add(new CompletionRow(row, who, stepId, completedAt, completes, scored, min, max));
        }

        return (rows, errors);
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static DateTimeOffset? ParseDate(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds > 0
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset at) ? at : null;
}
