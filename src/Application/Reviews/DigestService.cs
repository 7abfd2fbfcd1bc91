using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Reviews;
using Microsoft.Extensions.Logging;

namespace Cohorts.Application.Reviews;

/// <summary>The manager digest's schedule (section <c>Digest</c>).</summary>
/// <remarks>The server looks every hour by default; a repeated run in a period sends nothing more.</remarks>
public sealed class DigestOptions() : ScheduleOptions(TimeSpan.FromHours(1))
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Digest";

    /// <summary>The period a digest covers (a week; seconds in tests and demos).</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Sends each manager the digest of the period that ended last (<see cref="ManagerDigests"/>) for every open cohort,
/// through the notification port; the message id names the period, so running it again in the same period sends nothing.
/// </summary>
public sealed partial class DigestService(
    ICohortStore cohorts, IRosterStore roster, ISubmissionStore submissions, INotifier notifier, TimeProvider time, DigestOptions options, ILogger<DigestService> log)
{
    /// <summary>One run: how many digests were sent now (not before).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset periodStart = ManagerDigests.PeriodStart(time.GetUtcNow(), options.Period);
        int sent = 0;
        await foreach (CohortRecord cohort in cohorts.ListAsync(cancellationToken))
        {
            if (cohort.Status.IsTerminal() && cohort.StatusChangedAt < periodStart - options.Period)
            {
                continue; // closed before the period began: nothing of it to report
            }

            List<Participant> people = await roster.ListAllAsync(cohort.Id, cancellationToken);

            var work = new List<Submission>();
            await foreach (Submission submission in submissions.ListAsync(cohort.Id, cancellationToken))
            {
                work.Add(submission);
            }

            foreach (ManagerDigest digest in ManagerDigests.Build(cohort.Plan, people, work, periodStart, options.Period))
            {
                sent += await notifier.SendAsync(ManagerDigests.Message(cohort.Plan, digest, periodStart, options.Period), cancellationToken) ? 1 : 0;
            }
        }

        if (sent > 0)
        {
            LogSent(log, sent, periodStart);
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} manager digests for the period ending {PeriodStart}")]
    private static partial void LogSent(ILogger log, int count, DateTimeOffset periodStart);
}
