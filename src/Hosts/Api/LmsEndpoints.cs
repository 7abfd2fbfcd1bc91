using Cohorts.Connectors.Lms;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>The LMS export route: a cohort's roster and assignments as the CSV files an LMS imports, zipped.</summary>
public sealed class LmsEndpoints(ICohortStore cohorts, IRosterStore roster, TimeProvider time)
{
    /// <summary><c>GET /api/cohorts/{cohortId}/lms/{format}</c> (<c>canvas</c>, <c>moodle</c>, <c>oneroster</c>): a zip of CSV files.</summary>
    public async Task<IResult> ExportAsync(string cohortId, string format, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse(format, ignoreCase: true, out LmsFormat lms) || !Enum.IsDefined(lms) || format.Any(char.IsDigit))
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
}
