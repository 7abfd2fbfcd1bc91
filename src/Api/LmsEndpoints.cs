using Cohorts.Application.Learning;
using Cohorts.Connectors.Lms;
using Cohorts.Domain.Learning;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>The LMS routes: the roster and assignments as the CSV files an LMS imports, zipped; and completion reports coming back.</summary>
public sealed class LmsEndpoints(LmsService lms, TimeProvider time)
{
    /// <summary><c>GET /api/cohorts/{cohortId}/lms/{format}</c> (<c>canvas</c>, <c>moodle</c>, <c>oneroster</c>): a zip of CSV files.</summary>
    public async Task<IResult> ExportAsync(string cohortId, string formatName, CancellationToken cancellationToken)
    {
        if (!Naming.TryParse(formatName, out LmsFormat format))
        {
            return ApiResult.Problem(ApiProblem.Of(404, ErrorCodes.UnknownLmsFormat, "No such LMS format", $"'{formatName}' is not an export format; use canvas, moodle or oneroster.", "format"));
        }

        Result<LmsRoster> found = await lms.RosterAsync(cohortId, cancellationToken);
        if (found.Value is not { } roster)
        {
            return ApiResult.Failure(found.Failure!);
        }

        IReadOnlyList<(string Name, string Content)> files = LmsExports.Files(format, roster.Plan, roster.People, time.GetUtcNow());
        var zip = new MemoryStream();
        await LmsExports.WriteZipAsync(zip, files, cancellationToken);
        return ApiResult.File(zip.ToArray(), "application/zip", $"{cohortId}-{Naming.Camel(format).ToLowerInvariant()}.zip");
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

        List<CompletionRow> rows;
        List<CompletionRowError> unreadable;
        await using (MemoryStream? body = await RequestBody.ReadUpToAsync(request, MaxCompletionBytes, cancellationToken))
        {
            if (body is null)
            {
                return ApiResult.Problem(Problems.TooLarge(MaxCompletionBytes));
            }

            using var reader = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            (rows, unreadable) = CompletionCsv.Read(reader, cohortId);
        }

        Result<CompletionImport> imported = await lms.ImportAsync(cohortId, rows, unreadable, time.GetUtcNow(), cancellationToken);
        return imported.Value is { } done
            ? ApiResult.Json(StatusCodes.Status200OK, done)
            : ApiResult.Failure(imported.Failure!);
    }
}
