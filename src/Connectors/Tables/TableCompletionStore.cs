using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Learning;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// LMS completions in a table: partition = cohort id, row key = <c>{participant}|{step}</c> (escaped), so a step is
/// completed once; a repeated report finds the row and leaves it, keeping the first completion time.
/// </summary>
public sealed class TableCompletionStore(TableClient table) : ICompletionStore, IPersonalDataHolder
{
    /// <inheritdoc/>
    public string Kind => "completions";

    /// <inheritdoc/>
    public async Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        IReadOnlyList<StepCompletion> theirs = await ListForParticipantAsync(person.CohortId, person.EmployeeId, cancellationToken);
        // the completions move under the pseudonym (re-adding one moved before changes nothing), then the old rows go
        await SaveAsync(person.CohortId, theirs.Select(c => c with { ParticipantId = person.Pseudonym }).ToList(), cancellationToken);
        foreach (StepCompletion c in theirs)
        {
            await table.DeleteEntityAsync(person.CohortId, Key(c.ParticipantId, c.StepId), ETag.All, cancellationToken);
        }

        return theirs.Count;
    }

    /// <summary>The table's default name.</summary>
    public const string DefaultTable = "completions";

    private readonly TableOnFirstUse onFirstUse = new(table);

    /// <inheritdoc/>
    public async Task<int> SaveAsync(string cohortId, IReadOnlyList<StepCompletion> completions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completions);
        await onFirstUse.EnsureAsync(cancellationToken);
        int added = 0;
        foreach (StepCompletion c in completions)
        {
            var entity = new TableEntity(cohortId, Key(c.ParticipantId, c.StepId))
            {
                ["ParticipantId"] = c.ParticipantId,
                ["StepId"] = c.StepId,
                ["CompletedAt"] = c.CompletedAt,
            };
            try
            {
                await table.AddEntityAsync(entity, cancellationToken);
                added++;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // completed before: the first report stands
            }
        }

        return added;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StepCompletion>> ListForParticipantAsync(string cohortId, string participantId, CancellationToken cancellationToken)
    {
        string prefix = KeyEscape.Escape(participantId) + "|";
        var found = new List<StepCompletion>();
        await foreach (StepCompletion c in QueryAsync($"PartitionKey eq {TableKeys.Literal(cohortId)} and RowKey ge {TableKeys.Literal(prefix)} and RowKey lt {TableKeys.Literal(prefix[..^1] + "}")}", cohortId, cancellationToken))
        {
            found.Add(c);
        }

        return found;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<StepCompletion> ListAsync(string cohortId, CancellationToken cancellationToken) =>
        QueryAsync($"PartitionKey eq {TableKeys.Literal(cohortId)}", cohortId, cancellationToken);

    private async IAsyncEnumerable<StepCompletion> QueryAsync(string filter, string cohortId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return new StepCompletion(cohortId, e.GetString("ParticipantId"), e.GetString("StepId"), e.GetDateTimeOffset("CompletedAt")!.Value);
        }
    }

    private static string Key(string participantId, string stepId) => KeyEscape.Escape(participantId) + "|" + KeyEscape.Escape(stepId);
}
