using Azure.Data.Tables;
using Cohorts.Connectors.Tables;
using Cohorts.Domain.Access;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>The audit log on Azurite: entries appended alone and together, paged newest first, appended again, pseudonymised.</summary>
[Collection(SharedAzurite.Name)]
public sealed class AuditLogTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Moment = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static AuditEntry Joined(int person) =>
        new(AuditEntry.IdOf("event", "joined", person.ToString(System.Globalization.CultureInfo.InvariantCulture)), Moment, "c1", "workflow", Roles.System, "participant.joined",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["participantId"] = $"p{person}", ["importId"] = "imp1" }, "succeeded");

    private static AuditEntry Request(int minutes) =>
        new(AuditEntry.NewId(), Moment.AddMinutes(minutes), "c1", "hr-key", Roles.Hr, "applyImport",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["importId"] = "imp1" }, "succeeded", 202);

    [Fact]
    public async Task EntriesAppendedTogether_TakeAFewRows_AndPageOneByOneNewestFirst_AcrossBundles()
    {
        var table = new TableClient(azurite.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..20]);
        var log = new TableAuditLog(table);
        List<AuditEntry> joiners = Enumerable.Range(0, 120).Select(Joined).ToList();
        AuditEntry before = Request(-5), after = Request(5), later = Request(10);
        await log.AppendAsync([before], CancellationToken.None);
        await log.AppendAsync(joiners, CancellationToken.None);
        await log.AppendAsync([after, later], CancellationToken.None);   // two moments: a row each
        int rows = await table.QueryAsync<TableEntity>().CountAsync();
        Assert.InRange(rows, 8, 20); // three entries alone (two rows each) and 120 joiners in a few bundles (two rows each)

        await log.AppendAsync(joiners, CancellationToken.None);          // the retried activity
        Assert.Equal(rows, await table.QueryAsync<TableEntity>().CountAsync());

        var read = new List<AuditEntry>();
        string? token = null;
        int pages = 0;
        do
        {
            (IReadOnlyList<AuditEntry> items, token) = await log.ListAsync("c1", 7, token, CancellationToken.None);
            Assert.InRange(items.Count, 1, 7);
            read.AddRange(items);
            pages++;
        }
        while (token is not null);

        Assert.Equal(18, pages); // 123 entries, 7 to a page
        Assert.Equal([later.Id, after.Id], read.Take(2).Select(e => e.Id));
        Assert.Equal(before.Id, read[^1].Id);
        Assert.Equal(joiners.Select(e => e.Id).Order(), read.Skip(2).Take(120).Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Pseudonymise_RewritesThePersonInTheirBundle_AndNobodyElse()
    {
        var log = new TableAuditLog(new TableClient(azurite.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..20]));
        await log.AppendAsync(Enumerable.Range(0, 60).Select(Joined).ToList(), CancellationToken.None);

        Assert.Equal(1, await log.PseudonymiseAsync("c1", "p31", "anon-31", CancellationToken.None));

        (IReadOnlyList<AuditEntry> items, _) = await log.ListAsync("c1", 100, null, CancellationToken.None);
        Assert.Equal(60, items.Count);
        Assert.Single(items, e => e.Targets["participantId"] == "anon-31");
        Assert.DoesNotContain(items, e => e.Targets["participantId"] == "p31");
        Assert.Single(items, e => e.Targets["participantId"] == "p30");
    }
}
