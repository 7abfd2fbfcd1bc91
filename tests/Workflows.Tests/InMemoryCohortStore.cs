using System.Collections.Concurrent;
using Cohorts.Domain;

namespace Cohorts.Workflows.Tests;

/// <summary>An in-memory <see cref="ICohortStore"/> for workflow tests; the Blob store is tested on Azurite.</summary>
internal sealed class InMemoryCohortStore : ICohortStore
{
    private readonly ConcurrentDictionary<string, CohortRecord> records = new();

    public int Writes;

    public IAsyncEnumerable<CohortRecord> ListAsync(CancellationToken cancellationToken) => records.Values.ToAsyncEnumerable();

    public Task<CohortRecord?> GetAsync(string cohortId, CancellationToken cancellationToken) =>
        Task.FromResult(records.TryGetValue(cohortId, out CohortRecord? r) ? r : null);

    public Task<(CohortRecord Stored, bool Created)> CreateAsync(CohortRecord record, CancellationToken cancellationToken)
    {
        bool created = records.TryAdd(record.Id, record);
        return Task.FromResult((records[record.Id], created));
    }

    public Task<CohortRecord> UpdateAsync(string cohortId, Func<CohortRecord, CohortRecord> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            CohortRecord current = records.TryGetValue(cohortId, out CohortRecord? r) ? r : throw new KeyNotFoundException(cohortId);
            CohortRecord changed = change(current);
            if (ReferenceEquals(changed, current))
            {
                return Task.FromResult(current);
            }

            if (records.TryUpdate(cohortId, changed, current))
            {
                Interlocked.Increment(ref Writes);
                return Task.FromResult(changed);
            }
        }
    }
}
