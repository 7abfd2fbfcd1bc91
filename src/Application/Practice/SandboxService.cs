using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Practice;

namespace Cohorts.Application.Practice;

/// <summary>Sandbox access (section <c>Sandbox</c>).</summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Sandbox";

    /// <summary>The longest link a user delegation key allows.</summary>
    public static readonly TimeSpan MaxLinkLifetime = TimeSpan.FromDays(7);

    /// <summary>How long a sandbox link works: 8 hours by default, at most 7 days.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long after a cohort completes or is cancelled its sandbox group keeps its members.</summary>
    public TimeSpan RevokeAfter { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// A use case's data extract and the participants' access to it: files stored into the extract's container (local
/// runs and demos; in Azure large extracts are uploaded with Azure's own tools), and short-lived read-and-list links
/// for active trained participants of a running cohort.
/// </summary>
public sealed class SandboxService(ICohortStore cohorts, IRosterStore roster, IExtractStore extracts, Enrolment.ImportOptions imports, SandboxOptions options, TimeProvider time)
{
    /// <summary>Stores one file of the cohort's extract; the import size limit applies.</summary>
    public async Task<Result<ExtractFile>> SaveExtractAsync(string cohortId, string fileName, Stream content, long? contentLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        CohortRecord? cohort = await cohorts.FindAsync(cohortId, cancellationToken);
        if (cohort is null)
        {
            return Failure.CohortNotFound(cohortId);
        }

        if (ExtractNames.FileProblem(fileName) is { } badName)
        {
            return Failure.Invalid(ErrorCodes.InvalidFileName, "Not a file name", $"fileName {badName}.", "fileName");
        }

        if (Container(cohort) is not { } container)
        {
            return NoExtract(cohortId);
        }

        if (contentLength > imports.MaxBytes)
        {
            return TooLarge($"the file is larger than {imports.MaxBytes} bytes");
        }

        try
        {
            return await extracts.SaveAsync(container, fileName, content, imports.MaxBytes, cancellationToken);
        }
        catch (SourceTooLargeException tooLarge)
        {
            return TooLarge(tooLarge.Message);
        }
    }

    /// <summary>
    /// A read-and-list link to the cohort's extract for <paramref name="participantId"/>, valid for
    /// <see cref="SandboxOptions.LinkLifetime"/>: only for an active trained participant of a running cohort.
    /// </summary>
    public async Task<Result<SandboxLink>> IssueLinkAsync(string cohortId, string participantId, CancellationToken cancellationToken)
    {
        CohortRecord? cohort = await cohorts.FindAsync(cohortId, cancellationToken);
        if (cohort is null)
        {
            return Failure.CohortNotFound(cohortId);
        }

        if (cohort.Status.IsTerminal())
        {
            return Failure.CohortClosed(cohortId, cohort.Status);
        }

        if (cohort.Status != CohortStatus.Running)
        {
            return Failure.Conflict(ErrorCodes.CohortNotStarted, "The cohort has not started",
                $"Cohort '{cohortId}' starts at {cohort.Plan.StartsAt:O}; sandbox access opens with it.");
        }

        Participant? participant = EntityIds.Validate(participantId) is null ? await roster.GetAsync(cohortId, participantId, cancellationToken) : null;
        if (participant is null)
        {
            return Failure.ParticipantNotFound(cohortId, participantId);
        }

        if (!participant.Trained)
        {
            return Failure.Conflict(ErrorCodes.ParticipantInComparisonGroup, "The person is in the comparison group",
                $"'{participant.EmployeeId}' is comparable staff enrolled to compare outcomes with; they get no sandbox.", "participantId");
        }

        if (participant.Status != ParticipantStatus.Active)
        {
            return Failure.Conflict(ErrorCodes.ParticipantNotActive, "The participant is not active",
                $"'{participant.EmployeeId}' is {participant.Status.ToString().ToLowerInvariant()} on cohort '{cohortId}'; sandbox access is for active participants only.", "participantId");
        }

        if (Container(cohort) is not { } container)
        {
            return NoExtract(cohortId);
        }

        return await extracts.IssueLinkAsync(container, participant.EmployeeId, time.GetUtcNow().Add(options.LinkLifetime), cancellationToken);
    }

    private static string? Container(CohortRecord cohort) =>
        cohort.Plan.UseCase.DataExtract is { } name && ExtractNames.ContainerProblem(name) is null ? name : null;

    private static Failure NoExtract(string cohortId) =>
        Failure.Conflict(ErrorCodes.NoDataExtract, "The use case names no data extract",
            $"Cohort '{cohortId}' has no useCase.dataExtract naming its extract's container; set it with PATCH /api/cohorts/{cohortId}.", "useCase.dataExtract");

    private static Failure TooLarge(string detail) =>
        new(FailureKind.TooLarge, ErrorCodes.PayloadTooLarge, "The file is too large", $"{detail}; nothing was stored.");
}
