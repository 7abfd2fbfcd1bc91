using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Cohorts.Connectors.Json;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Outcomes;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// Outcome events in a table: partition = cohort id, row key = the escaped event id, so the table itself refuses a second
/// event under a used id; the event is kept whole as JSON beside the columns a query filters on.
/// </summary>
public sealed class TableOutcomeStore(TableClient table) : IOutcomeStore, IPersonalDataHolder
{
    /// <inheritdoc/>
    public string Kind => "outcomes";

    /// <inheritdoc/>
    public async Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        await onFirstUse.EnsureAsync(cancellationToken);
        int changed = 0;
        string filter = $"PartitionKey eq {TableKeys.Literal(person.CohortId)} and ParticipantId eq {TableKeys.Literal(person.EmployeeId)}";
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            // the figure stays (what happened, when, passed or not, hours); who and their link go
            OutcomeEvent erased = FromEntity(entity) with { ParticipantId = person.Pseudonym, Link = null };
            entity["ParticipantId"] = person.Pseudonym;
            entity["Doc"] = JsonSerializer.Serialize(erased, CohortsJson.Options);
            await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            changed++;
        }

        return changed;
    }

    /// <summary>The table's default name.</summary>
    public const string DefaultTable = "outcomes";

    private readonly TableOnFirstUse onFirstUse = new(table);

    /// <inheritdoc/>
    public async Task<(OutcomeEvent Stored, bool Created)> AddAsync(OutcomeEvent outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        await onFirstUse.EnsureAsync(cancellationToken);
        var entity = new TableEntity(outcome.CohortId, RowKey(outcome.EventId))
        {
            ["Type"] = outcome.Type.ToString(),
            ["ParticipantId"] = outcome.ParticipantId,
            ["OccurredAt"] = outcome.OccurredAt,
            ["Doc"] = JsonSerializer.Serialize(outcome, CohortsJson.Options),
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return (outcome, true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            TableEntity existing = (await table.GetEntityAsync<TableEntity>(outcome.CohortId, entity.RowKey, cancellationToken: cancellationToken)).Value;
            return (FromEntity(existing), false);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<OutcomeEvent> ListAsync(string cohortId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        string filter = $"PartitionKey eq {TableKeys.Literal(cohortId)} and RowKey ge 'e|' and RowKey lt 'e}}'";
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["Doc"], cancellationToken: cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    private static string RowKey(string eventId) => "e|" + KeyEscape.Escape(eventId);

    private static OutcomeEvent FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize<OutcomeEvent>(entity.GetString("Doc"), CohortsJson.Options)
            ?? throw new JsonException($"Outcome row {entity.RowKey} holds null.");
}
