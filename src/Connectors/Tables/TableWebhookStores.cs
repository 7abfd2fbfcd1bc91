using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Cohorts.Connectors.Json;
using Cohorts.Connectors.Storage;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Events;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// The event outbox in a table, one partition: an event row (<c>e|{id}</c>) and, while it waits to be handed on, a
/// pending row (<c>p|{ticks}|{id}</c>, so the oldest come first). Both are written in one transaction, so an event is
/// never stored without being pending, and a second raise of the same id fails on the event row and changes nothing.
/// </summary>
public sealed class TableEventOutbox(TableClient table) : IEventOutbox, IPersonalDataHolder
{
    /// <inheritdoc/>
    public string Kind => "events";

    /// <summary>Deletes the cohort's events about the person (their subject or their participantId), delivered or not.</summary>
    public async Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        await onFirstUse.EnsureAsync(cancellationToken);
        int deleted = 0;
        string filter = $"PartitionKey eq '{Partition}' and RowKey ge 'e|' and RowKey lt 'e}}'";
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            CohortEvent e = Read(row);
            bool theirs = e.CohortId == person.CohortId
                && (e.Subject == person.EmployeeId || (e.Data["participantId"] is System.Text.Json.Nodes.JsonValue v && v.ToString() == person.EmployeeId));
            if (!theirs)
            {
                continue;
            }

            if (row.GetString("PendingKey") is { } pendingKey)
            {
                await table.DeleteEntityAsync(Partition, pendingKey, ETag.All, cancellationToken);
            }

            await table.DeleteEntityAsync(Partition, row.RowKey, ETag.All, cancellationToken);
            deleted++;
        }

        return deleted;
    }

    /// <summary>The table's default name.</summary>
    public const string DefaultTable = "events";

    private const string Partition = "events";
    private readonly TableOnFirstUse onFirstUse = new(table);

    /// <inheritdoc/>
    public Task RaiseAsync(CohortEvent cohortEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cohortEvent);
        return RaiseAllAsync([cohortEvent], cancellationToken);
    }

    /// <inheritdoc/>
    public async Task RaiseAllAsync(IReadOnlyList<CohortEvent> cohortEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cohortEvents);
        await onFirstUse.EnsureAsync(cancellationToken);
        // a table transaction holds at most 100 rows: 50 events (event row and pending row each)
        await TableOnce.AddAsync(table, cohortEvents.DistinctBy(e => e.Id).ToList(), 50, Rows, cancellationToken);
    }

    /// <summary>
    /// The event's own row and its pending row, written together; the pending row carries the document too, so that a
    /// dispatch tick is one query.
    /// </summary>
    private static IEnumerable<TableTransactionAction> Rows(CohortEvent cohortEvent)
    {
        string doc = JsonSerializer.Serialize(cohortEvent, CohortsJson.Options);
        string pendingKey = PendingKey(cohortEvent);
        yield return new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(Partition, EventKey(cohortEvent.Id)) { ["Doc"] = doc, ["PendingKey"] = pendingKey });
        yield return new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, pendingKey) { ["EventId"] = cohortEvent.Id, ["Doc"] = doc });
    }

    /// <inheritdoc/>
    public async Task<CohortEvent?> GetAsync(string eventId, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, EventKey(eventId), cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CohortEvent>> PendingAsync(int max, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        var events = new List<CohortEvent>();
        string filter = $"PartitionKey eq '{Partition}' and RowKey ge 'p|' and RowKey lt 'p}}'";
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, maxPerPage: max, cancellationToken: cancellationToken))
        {
            // a pending row written before it carried the document names the event only
            if ((entity.ContainsKey("Doc") ? Read(entity) : await GetAsync(entity.GetString("EventId"), cancellationToken)) is { } found)
            {
                events.Add(found);
            }

            if (events.Count >= max)
            {
                break;
            }
        }

        return events;
    }

    /// <inheritdoc/>
    public async Task MarkDispatchedAsync(IReadOnlyList<CohortEvent> cohortEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cohortEvents);
        await onFirstUse.EnsureAsync(cancellationToken);
        // the pending row's key follows from the event: a hundred deleted to a transaction, without reading them (one
        // read and one delete an event, in turn, were a 100k-person import's second workload on the store)
        foreach (CohortEvent[] batch in cohortEvents.DistinctBy(e => e.Id).Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, PendingKey(e)), ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                // a row gone already (handed on before a crash) or written under another key: one by one, as the event row names it
                foreach (CohortEvent cohortEvent in batch)
                {
                    await MarkOneDispatchedAsync(cohortEvent.Id, cancellationToken);
                }
            }
        }
    }

    private async Task MarkOneDispatchedAsync(string eventId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, EventKey(eventId), cancellationToken: cancellationToken);
        if (found.HasValue && found.Value!.GetString("PendingKey") is { } pendingKey)
        {
            await table.DeleteEntityAsync(Partition, pendingKey, ETag.All, cancellationToken);
        }
    }

    private static CohortEvent Read(TableEntity entity) =>
        JsonSerializer.Deserialize<CohortEvent>(entity.GetString("Doc"), CohortsJson.Options) ?? throw new JsonException($"Event row {entity.RowKey} holds null.");

    private static string EventKey(string eventId) => "e|" + KeyEscape.Escape(eventId);

    private static string PendingKey(CohortEvent e) =>
        "p|" + e.Time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + KeyEscape.Escape(e.Id);
}

/// <summary>Webhook subscriptions in a table, one partition, a row per subscription kept whole as JSON.</summary>
public sealed class TableSubscriptionStore(TableClient table) : ISubscriptionStore
{
    /// <summary>The table's default name.</summary>
    public const string DefaultTable = "subscriptions";

    private const string Partition = "subscriptions";
    private readonly TableOnFirstUse onFirstUse = new(table);

    /// <inheritdoc/>
    public async Task CreateAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        await onFirstUse.EnsureAsync(cancellationToken);
        await table.AddEntityAsync(ToEntity(subscription), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<WebhookSubscription?> GetAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, KeyEscape.Escape(subscriptionId), cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<WebhookSubscription> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>($"PartitionKey eq '{Partition}'", cancellationToken: cancellationToken))
        {
            yield return Read(entity);
        }
    }

    /// <inheritdoc/>
    public async Task DisableAsync(string subscriptionId, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        var contention = new Contention($"subscription '{subscriptionId}'");
        while (true)
        {
            NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, KeyEscape.Escape(subscriptionId), cancellationToken: cancellationToken);
            if (!found.HasValue || Read(found.Value!) is not { IsActive: true } active)
            {
                return;
            }

            try
            {
                await table.UpdateEntityAsync(ToEntity(active with { DisabledAt = at, DisabledReason = reason }), found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                // changed or deleted meanwhile: read again
                await contention.BackOffAsync(e, cancellationToken);
            }
        }
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        // the table client answers a delete of a missing row with its 404 response, not an exception
        Response response = await table.DeleteEntityAsync(Partition, KeyEscape.Escape(subscriptionId), ETag.All, cancellationToken);
        return response.Status != 404;
    }

    private static TableEntity ToEntity(WebhookSubscription s) =>
        new(Partition, KeyEscape.Escape(s.Id)) { ["Doc"] = JsonSerializer.Serialize(s, CohortsJson.Options) };

    private static WebhookSubscription Read(TableEntity entity) =>
        JsonSerializer.Deserialize<WebhookSubscription>(entity.GetString("Doc"), CohortsJson.Options) ?? throw new JsonException($"Subscription row {entity.RowKey} holds null.");
}

/// <summary>
/// Deliveries in a table: partition = subscription id, row key = the event's time inverted (newest first) and its id,
/// the delivery kept whole as JSON and changed under ETags.
/// </summary>
public sealed class TableDeliveryStore(TableClient table) : IDeliveryStore
{
    /// <summary>The table's default name.</summary>
    public const string DefaultTable = "deliveries";

    private readonly TableOnFirstUse onFirstUse = new(table);

    /// <inheritdoc/>
    public async Task<WebhookDelivery> UpdateAsync(WebhookDelivery initial, Func<WebhookDelivery, WebhookDelivery> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(change);
        await onFirstUse.EnsureAsync(cancellationToken);
        string partition = KeyEscape.Escape(initial.SubscriptionId);
        string row = (DateTimeOffset.MaxValue.UtcTicks - initial.EventTime.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|" + KeyEscape.Escape(initial.EventId);
        var contention = new Contention($"the delivery of event '{initial.EventId}'");
        while (true)
        {
            NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            WebhookDelivery current = found.HasValue ? Read(found.Value!) : initial;
            WebhookDelivery changed = change(current);
            if (found.HasValue && ReferenceEquals(changed, current))
            {
                return current;
            }

            var entity = new TableEntity(partition, row) { ["Doc"] = JsonSerializer.Serialize(changed, CohortsJson.Options) };
            try
            {
                if (found.HasValue)
                {
                    await table.UpdateEntityAsync(entity, found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }

                return changed;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                await contention.BackOffAsync(e, cancellationToken);
            }
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<WebhookDelivery> ListAsync(string subscriptionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>($"PartitionKey eq {TableKeys.Literal(KeyEscape.Escape(subscriptionId))}", cancellationToken: cancellationToken))
        {
            yield return Read(entity);
        }
    }

    private static WebhookDelivery Read(TableEntity entity) =>
        JsonSerializer.Deserialize<WebhookDelivery>(entity.GetString("Doc"), CohortsJson.Options) ?? throw new JsonException($"Delivery row {entity.RowKey} holds null.");
}
