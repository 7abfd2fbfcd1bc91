using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Events;
using Cohorts.Domain.Reviews;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;

namespace Cohorts.Workflows.Activities;

/// <summary>
/// Starts an erasure: writes the tombstone first (an import running meanwhile no longer enrols the person) and returns
/// the cohorts to search: the one named, or every cohort. Idempotent.
/// </summary>
public sealed class BeginErasureActivity(IErasureStore erasures, IErasureRegistry registry, ICohortStore cohorts) : TaskActivity<string, IReadOnlyList<string>>
{
    /// <inheritdoc/>
    public override async Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, string input)
    {
        ErasureRecord record = await erasures.GetAsync(input, CancellationToken.None) ?? throw new KeyNotFoundException($"There is no erasure '{input}'.");
        await registry.AddTombstoneAsync(record.CohortId, record.Pseudonym, CancellationToken.None);
        List<string> found = record.CohortId is { } one ? [one] : await cohorts.ListAsync(CancellationToken.None).Select(c => c.Id).Order(StringComparer.Ordinal).ToListAsync();
        await erasures.UpdateAsync(input, r => r.Cohorts.SequenceEqual(found) ? r : r with { Cohorts = found }, CancellationToken.None);
        return found;
    }
}

/// <summary>
/// Erases the person from one cohort: asks every store that holds personal data to rewrite or delete what it holds of
/// them (the roster last, since it tells the others the addresses and name to look for), and returns the counts by kind
/// and their review orchestrations. Idempotent: a store that finds nothing left changes nothing.
/// </summary>
public sealed class EraseFromCohortActivity(IErasureStore erasures, IRosterStore roster, ISubmissionStore submissions, IEnumerable<IPersonalDataHolder> holders, INotifier notifier)
    : TaskActivity<ErasureStep, ErasedInCohort>
{
    /// <inheritdoc/>
    public override async Task<ErasedInCohort> RunAsync(TaskActivityContext context, ErasureStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ErasureRecord record = await erasures.GetAsync(input.ErasureId, CancellationToken.None) ?? throw new KeyNotFoundException($"There is no erasure '{input.ErasureId}'.");
        if (record.EmployeeId is not { } employeeId)
        {
            return new ErasedInCohort(new Dictionary<string, int>(), []); // completed before: nothing is known to look for
        }

        Participant? participant = await roster.GetAsync(input.CohortId, employeeId, CancellationToken.None);
        List<string> identifiers = new[] { participant?.Hr.Email, participant?.Hr.Upn, participant?.Hr.DisplayName }
            .Where(i => !string.IsNullOrWhiteSpace(i) && i.Length >= 3).Select(i => i!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var person = new PersonToErase(input.CohortId, employeeId, record.Pseudonym, identifiers);

        // their reviews, found before or after a retry rewrote them under the pseudonym
        List<string> reviews = (await submissions.ListForParticipantAsync(input.CohortId, employeeId, CancellationToken.None))
            .Concat(await submissions.ListForParticipantAsync(input.CohortId, record.Pseudonym, CancellationToken.None))
            .Select(s => InstanceIds.Review(s.SubmissionId)).Distinct(StringComparer.Ordinal).ToList();

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        IEnumerable<IPersonalDataHolder> all = notifier is IPersonalDataHolder outbox ? holders.Append(outbox) : holders;
        foreach (IPersonalDataHolder holder in all.OrderBy(h => h.Order))
        {
            counts[holder.Kind] = counts.GetValueOrDefault(holder.Kind) + await holder.EraseAsync(person, CancellationToken.None);
        }

        return new ErasedInCohort(counts, reviews);
    }
}

/// <summary>Purges the histories of the erased person's review orchestrations (ending any still open first).</summary>
public sealed class PurgeHistoriesActivity(IHistoryPurger purger) : TaskActivity<IReadOnlyList<string>, int>
{
    /// <inheritdoc/>
    public override Task<int> RunAsync(TaskActivityContext context, IReadOnlyList<string> input) =>
        purger.PurgeAsync(input ?? [], CancellationToken.None);
}

/// <summary>
/// Records the erasure completed with what it erased, and forgets the employee id (only the pseudonym stays); raises
/// erasure.completed for each cohort searched, which the audit log records too. Idempotent.
/// </summary>
public sealed class FinishErasureActivity(IErasureStore erasures, WorkflowEvents events) : TaskActivity<ErasureFinish, bool>
{
    /// <inheritdoc/>
    public override async Task<bool> RunAsync(TaskActivityContext context, ErasureFinish input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var at = new DateTimeOffset(DateTime.SpecifyKind(input.At, DateTimeKind.Utc));
        ErasureRecord record = await erasures.UpdateAsync(input.ErasureId, r => r.State == ErasureState.Completed
            ? r
            : r with { State = ErasureState.Completed, EmployeeId = null, Erased = input.Counts, CompletedAt = at }, CancellationToken.None);
        await events.RaiseAllAsync(record.Cohorts.Select(c => CohortEvents.ErasureCompleted(c, record.ErasureId, record.CompletedAt ?? at)).ToList(), CancellationToken.None);
        return true;
    }
}
