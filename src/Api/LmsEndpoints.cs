using Cohorts.Connectors.Lms;
using Cohorts.Domain.Learning;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>What a completion report did: rows read, steps newly completed, steps already completed before.</summary>
public sealed record CompletionImportView(int Rows, int Completed, int AlreadyCompleted);

/// <summary>The LMS export route: a cohort's roster and assignments as the CSV files an LMS imports, zipped.</summary>
public sealed class LmsEndpoints(ICohortStore cohorts, IRosterStore roster, ICompletionStore completions, TimeProvider time)
{
    /// <summary><c>GET /api/cohorts/{cohortId}/lms/{format}</c> (<c>canvas</c>, <c>moodle</c>, <c>oneroster</c>): a zip of CSV files.</summary>
    public async Task<IResult> ExportAsync(string cohortId, string format, CancellationToken cancellationToken)
    {
        if (!Naming.TryParse(format, out LmsFormat lms))
        {
            return ApiResult.Problem(ApiProblem.Of(404, "unknownLmsFormat", "No such LMS format", $"'{format}' is not an export format; use canvas, moodle or oneroster.", "format"));
        }

        CohortRecord? cohort = EntityIds.Validate(cohortId) is null ? await cohorts.GetAsync(cohortId, cancellationToken) : null;
        if (cohort is null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        List<Participant> people = await roster.ListAllAsync(cohortId, cancellationToken);

        IReadOnlyList<(string Name, string Content)> files = LmsExports.Files(lms, cohort.Plan, people, time.GetUtcNow());
        var zip = new MemoryStream();
        await LmsExports.WriteZipAsync(zip, files, cancellationToken);
        return ApiResult.File(zip.ToArray(), "application/zip", $"{cohortId}-{Naming.Camel(lms).ToLowerInvariant()}.zip");
    }

    /// <summary>The largest completion report accepted.</summary>
    public const long MaxCompletionBytes = 32 * 1024 * 1024;

    /// <summary>
    /// <c>POST /api/cohorts/{cohortId}/completions</c>: an LMS completion report (<c>text/csv</c>: OneRoster results.csv or
    /// participant/step/date columns) marks steps without a review done. All or nothing: any bad row gets 400 naming
    /// each row and field, and nothing is stored; a step completed before keeps its first time.
    /// </summary>
    public async Task<IResult> ImportCompletionsAsync(HttpRequest request, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("text/csv" or "application/csv" or "text/plain"))
        {
            return ApiResult.Problem(Problems.UnsupportedMediaType("text/csv (an LMS completion report)"));
        }

        if (request.ContentLength > MaxCompletionBytes)
        {
            return ApiResult.Problem(Problems.TooLarge(MaxCompletionBytes));
        }

        CohortRecord? cohort = EntityIds.Validate(cohortId) is null ? await cohorts.GetAsync(cohortId, cancellationToken) : null;
        if (cohort is null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        List<CompletionRow> rows;
        List<CompletionRowError> errors;
        await using (MemoryStream? body = await RequestBody.ReadUpToAsync(request, MaxCompletionBytes, cancellationToken))
        {
            if (body is null)
            {
                return ApiResult.Problem(Problems.TooLarge(MaxCompletionBytes));
            }

            using var reader = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            (rows, errors) = CompletionCsv.Read(reader, cohortId);
        }

        DateTimeOffset now = time.GetUtcNow();
        var people = (await roster.ListAllAsync(cohortId, cancellationToken)).Select(p => p.EmployeeId).ToHashSet(StringComparer.Ordinal);
        IReadOnlyDictionary<string, LearningStep> steps = LearningPaths.Steps(cohort.Plan);
        foreach (CompletionRow row in rows)
        {
            LearningStep? step = steps.GetValueOrDefault(row.StepId);
            (string Field, string Reason)? problem = !people.Contains(row.ParticipantId) ? ("participant", $"nobody with id '{row.ParticipantId}' is on the roster")
                : step is null ? ("step", $"'{row.StepId}' is not a step of any path of this cohort")
                : step.IsDemonstration ? ("step", $"'{row.StepId}' is a capability demonstration; it is done by an accepted review, not by the LMS")
                : row.CompletedAt > now + OutcomeEndpoints.AllowedSkew ? ("completedAt", $"{row.CompletedAt:O} is in the future")
                : null;
            if (problem is { } bad)
            {
                errors.Add(new CompletionRowError(row.Row, bad.Field, bad.Reason));
            }
        }

        if (errors.Count > 0)
        {
            List<PlanError> listed = errors.OrderBy(e => e.Row).Take(100).Select(e => new PlanError($"rows[{e.Row}].{e.Field}", "invalidRow", e.Reason)).ToList();
            return ApiResult.Problem(ApiProblem.Of(400, "invalidCompletions", "The completion report has bad rows",
                $"{errors.Count} row(s) cannot be used (first: row {listed[0].Field}: {listed[0].Message}); nothing was stored.", listed[0].Field, listed));
        }

        // the earliest report of each step counts
        List<StepCompletion> completed = rows.GroupBy(r => (r.ParticipantId, r.StepId))
            .Select(g => new StepCompletion(cohortId, g.Key.ParticipantId, g.Key.StepId, g.Min(r => r.CompletedAt)))
            .ToList();
        int added = await completions.SaveAsync(cohortId, completed, cancellationToken);
        return ApiResult.Json(StatusCodes.Status200OK, new CompletionImportView(rows.Count, added, completed.Count - added));
    }
}
