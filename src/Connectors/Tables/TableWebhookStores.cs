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
/// Events raised together (a workflow's hundred joiners) are kept many to a row (<see cref="TableBundles"/>): a bundle
/// row <c>b|{bundle}</c> and its pending row <c>p|{ticks}|~{bundle}</c>, so that they cost the store a few rows per
/// hundred instead of two each, and are handed on a bundle at a time. Their receipt (<c>{ticks}~{bundle}</c>) finds
/// them; a retried activity raises the same list, so its bundle is met and left as it was.
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
        bool Theirs(CohortEvent e) => e.CohortId == person.CohortId
            && (e.Subject == person.EmployeeId || (e.Data["participantId"] is System.Text.Json.Nodes.JsonValue v && v.ToString() == person.EmployeeId));
        int deleted = 0;
        string filter = $"PartitionKey eq '{Partition}' and RowKey ge 'e|' and RowKey lt 'e}}'";
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (!Theirs(Read(row)))
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

        // a bundle keeps the others' events: rewritten without theirs (its pending row only names it)
        filter = $"PartitionKey eq '{Partition}' and RowKey ge 'b|' and RowKey lt 'b}}'";
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            List<CohortEvent> held = TableBundles.Read<CohortEvent>(row);
            List<CohortEvent> kept = held.Where(e => !Theirs(e)).ToList();
            if (kept.Count == held.Count)
            {
                continue;
            }

            string pendingKey = row.GetString("PendingKey");
            if (kept.Count == 0)
            {
                await table.DeleteEntityAsync(Partition, pendingKey, ETag.All, cancellationToken);
                await table.DeleteEntityAsync(Partition, row.RowKey, ETag.All, cancellationToken);
            }
            else
            {
                TableBundles.Put(row, kept);
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            deleted += held.Count - kept.Count;
        }

        return deleted;
    }

    /// <summary>The table's default name.</summary>
    public const string DefaultTable = "events";

    private const string Partition = "events";
    private const string PendingRows = $"PartitionKey eq '{Partition}' and RowKey ge 'p|' and RowKey lt 'p}}'";
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
        List<Bundle<CohortEvent>> bundles = TableBundles.Pack(cohortEvents.DistinctBy(e => e.Id).ToList(), e => e.Id);
        // a table transaction holds at most 100 rows: 50 events or bundles (its own row and its pending row each)
        await TableOnce.AddAsync(table, bundles.Where(b => b.Items.Count == 1).Select(b => b.Items[0]).ToList(), 50, Rows, cancellationToken);
        await TableOnce.AddAsync(table, bundles.Where(b => b.Items.Count > 1).ToList(), 50, BundleRows, cancellationToken);
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

    /// <summary>The bundle's row and its pending row (which names it: a dispatch reads the bundles it takes), written together.</summary>
    private static IEnumerable<TableTransactionAction> BundleRows(Bundle<CohortEvent> bundle)
    {
        string pendingKey = PendingKeyOf(bundle.Items.Min(e => e.Time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "~" + bundle.Id);
        var row = new TableEntity(Partition, "b|" + bundle.Id) { ["PendingKey"] = pendingKey };
        TableBundles.Put(row, bundle.Items, bundle.Json);
        yield return new TableTransactionAction(TableTransactionActionType.Add, row);
        yield return new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, pendingKey) { ["Bundle"] = "b|" + bundle.Id });
    }

    /// <inheritdoc/>
    public async Task<CohortEvent?> GetAsync(string eventId, string? receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        await onFirstUse.EnsureAsync(cancellationToken);
        if (Receipt(receipt) is { } bundle)
        {
            NullableResponse<TableEntity> held = await table.GetEntityIfExistsAsync<TableEntity>(Partition, "b|" + bundle.Id, cancellationToken: cancellationToken);
            return held.HasValue ? TableBundles.Read<CohortEvent>(held.Value!).Find(e => e.Id == eventId) : null;
        }

        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, EventKey(eventId), cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PendingEvent>> PendingAsync(int max, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        var events = new List<PendingEvent>();
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(PendingRows, maxPerPage: Math.Clamp(max, 1, 1000), cancellationToken: cancellationToken))
        {
            if (entity.GetString("Bundle") is { } bundleKey)
            {
                NullableResponse<TableEntity> bundle = await table.GetEntityIfExistsAsync<TableEntity>(Partition, bundleKey, cancellationToken: cancellationToken);
                if (!bundle.HasValue)
                {
                    // erased whole (an erasure stopped between its two deletes): nothing is left to hand on
                    await table.DeleteEntityAsync(Partition, entity.RowKey, ETag.All, cancellationToken);
                    continue;
                }

                string receipt = ReceiptOf(entity.RowKey);
                events.AddRange(TableBundles.Read<CohortEvent>(bundle.Value!).Select(e => new PendingEvent(e, receipt)));
            }

            // a pending row written before it carried the document names the event only
            else if ((entity.ContainsKey("Doc") ? Read(entity) : await GetAsync(entity.GetString("EventId"), null, cancellationToken)) is { } found)
            {
                events.Add(new PendingEvent(found, null));
            }

            if (events.Count >= max)
            {
                break;
            }
        }

        return events;
    }

    /// <inheritdoc/>
    public async Task MarkDispatchedAsync(IReadOnlyList<PendingEvent> pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        await onFirstUse.EnsureAsync(cancellationToken);
        // the pending row's key follows from the event or the receipt: deleted without reading them (one read and one
        // delete an event, in turn, were a 100k-person import's second workload on the store)
        await DeletePendingAsync(
            pending.Select(p => Receipt(p.Receipt) is { } bundle ? (bundle.PendingKey, (string?)null) : (PendingKey(p.Event), p.Event.Id)).DistinctBy(k => k.Item1),
            cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> AnyPendingAsync(CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        await foreach (Page<TableEntity> page in table.QueryAsync<TableEntity>(PendingRows, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count > 0)
            {
                return true;
            }

            if (page.ContinuationToken is null)
            {
                break;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    /// <remarks>The pending rows' keys only are read (a bundle's events are not): a hundred deleted to a transaction.</remarks>
    public async Task<int> SkipPendingAsync(int max, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        var keys = new List<(string Key, string? EventId)>(Math.Min(max, 1000));
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(PendingRows, maxPerPage: Math.Clamp(max, 1, 1000), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add((entity.RowKey, null));
            if (keys.Count >= max)
            {
                break;
            }
        }

        await DeletePendingAsync(keys, cancellationToken);
        return keys.Count;
    }

    /// <summary>
    /// Deletes pending rows a hundred to a transaction; a transaction that meets a row gone already (handed on before a
    /// crash, or by another dispatcher) or written under another key goes one by one, an event's own row naming its key.
    /// </summary>
    private async Task DeletePendingAsync(IEnumerable<(string Key, string? EventId)> keys, CancellationToken cancellationToken)
    {
        foreach ((string Key, string? EventId)[] batch in keys.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, k.Key), ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                foreach ((string key, string? eventId) in batch)
                {
                    await MarkOneDispatchedAsync(key, eventId, cancellationToken);
                }
            }
        }
    }

    private async Task MarkOneDispatchedAsync(string pendingKey, string? eventId, CancellationToken cancellationToken)
    {
        if (eventId is null)
        {
            await table.DeleteEntityAsync(Partition, pendingKey, ETag.All, cancellationToken);
            return;
        }

        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, EventKey(eventId), cancellationToken: cancellationToken);
        if (found.HasValue && found.Value!.GetString("PendingKey") is { } named)
        {
            await table.DeleteEntityAsync(Partition, named, ETag.All, cancellationToken);
        }
    }

    /// <summary>The bundle a receipt names and its pending row's key; null for none (or one not of this outbox's making).</summary>
    private static (string Id, string PendingKey)? Receipt(string? receipt)
    {
        int at = receipt?.IndexOf('~', StringComparison.Ordinal) ?? -1;
        return at == 19 && receipt!.Length > 20 && receipt.AsSpan(0, 19).IndexOfAnyExceptInRange('0', '9') < 0
            ? (receipt[20..], PendingKeyOf(receipt))
            : null;
    }

    // a bundle's receipt is "{ticks:D19}~{bundle}" and its pending row's key "p|{ticks:D19}|~{bundle}": each from the other
    private static string PendingKeyOf(string receipt) => "p|" + receipt[..19] + "|~" + receipt[20..];

    private static string ReceiptOf(string pendingKey) => pendingKey[2..21] + "~" + pendingKey[23..];

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
