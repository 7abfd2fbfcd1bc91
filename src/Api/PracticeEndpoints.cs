using Cohorts.Application.Practice;
using Cohorts.Domain.Practice;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>The practice routes: a use case's data extract, and sandbox links to it.</summary>
public sealed class PracticeEndpoints(SandboxService sandbox)
{
    /// <summary><c>PUT /api/cohorts/{cohortId}/extract/{fileName}</c> (hr): 201 with the file stored, any media type.</summary>
    public async Task<IResult> PutExtractAsync(HttpRequest request, string cohortId, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Result<ExtractFile> stored = await sandbox.SaveExtractAsync(cohortId, fileName, request.Body, request.ContentLength, cancellationToken);
        return stored.Value is { } file
            ? ApiResult.Json(StatusCodes.Status201Created, new { container = file.Container, name = file.Name, bytes = file.Bytes })
            : ApiResult.Failure(stored.Failure!);
    }

    /// <summary><c>POST /api/cohorts/{cohortId}/participants/{participantId}/sandbox-access</c>: 201 with the link.</summary>
    public async Task<IResult> IssueSandboxAccessAsync(string cohortId, string participantId, CancellationToken cancellationToken)
    {
        Result<SandboxLink> issued = await sandbox.IssueLinkAsync(cohortId, participantId, cancellationToken);
        return issued.Value is { } link ? ApiResult.Json(StatusCodes.Status201Created, link) : ApiResult.Failure(issued.Failure!);
    }
}
