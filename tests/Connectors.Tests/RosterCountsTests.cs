using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Cohorts.Connectors.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// The roster's head counts, on Azurite, kept as the roster changes: imports (joiners, a leaver, a mover, in the
/// product's batches and in a batch cut in a hundred), an override, an erasure, batches applied again and cut
/// differently; counted once for a roster stored before the counts; read with the same requests for ten people as for
/// a thousand. Each expected count is worked out by hand in the test's comments.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class RosterCountsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private (TableRosterStore Store, TableClient Table, CountingPolicy Counter) NewStore()
    {
        (TableClient table, CountingPolicy counter) = CountingPolicy.NewTable(azurite.ConnectionString, "n");
        return (new TableRosterStore(table), table, counter);
    }

    private static string Id(int i) => $"E{i:D3}";

    // E001-E250: a number divisible by three is a builder, one more than that a consumer, one less in triage
    private static Track? TrackOf(int i) => (i % 3) switch { 0 => Track.Builders, 1 => Track.Consumers, _ => null };

    private static RosterChange Joiner(int i, ParticipantGroup group = ParticipantGroup.Trained) =>
        new(ChangeKind.Join, group == ParticipantGroup.Trained ? Id(i) : $"X{i}", i + 1, new HrRecord(Id(i)), null, group == ParticipantGroup.Trained ? TrackOf(i) : null, "rule", "reason", group);

    private static List<RosterChange> Joiners(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(i => Joiner(i))];

    private static (int Active, int Suspended, int Builders, int Consumers, int Leaders, int Triage, int Comparison) Shape(RosterCounts c) =>
        (c.Active, c.Suspended, c.ByTrack[Track.Builders], c.ByTrack[Track.Consumers], c.ByTrack[Track.Leaders], c.Triage, c.Comparison);

    [Fact]
    public async Task Counts_FollowEveryKindOfWrite_AsCountedByHand()
    {
        (TableRosterStore store, TableClient table, _) = NewStore();
        const string Cohort = "counts";

        // the first import: E001-E198 in the product's batches of 99, E199-E250 in one; five comparison people
        await store.ApplyAsync(Cohort, "imp1", Joiners(1, 99), At, CancellationToken.None);
        await store.ApplyAsync(Cohort, "imp1", Joiners(100, 198), At, CancellationToken.None);
        await store.ApplyAsync(Cohort, "imp1", Joiners(199, 250), At, CancellationToken.None);
        await store.ApplyAsync(Cohort, "cmp1", [.. Enumerable.Range(1, 5).Select(i => Joiner(i, ParticipantGroup.Comparison))], At, CancellationToken.None);
        // 250 people: 83 builders (3, 6, … 249), 84 consumers (1, 4, … 250), 83 in triage (2, 5, … 248)
        Assert.Equal((250, 0, 83, 84, 0, 83, 5), Shape(await store.CountAsync(Cohort, CancellationToken.None)));

        // the second import, in one batch: E001 (a consumer) leaves, E002 (in triage) is placed with the builders
        await store.ApplyAsync(Cohort, "imp2", [
            new RosterChange(ChangeKind.Leave, Id(1), null, null, Track.Consumers, Track.Consumers, "leave", "left"),
            new RosterChange(ChangeKind.Move, Id(2), 3, new HrRecord(Id(2)), null, Track.Builders, "rule", "reason"),
        ], At.AddDays(1), CancellationToken.None);
        // E003 (a builder) is put on the leaders' track by hand; E004 (a consumer) is erased
        await store.UpdateAsync(Cohort, Id(3), p => p.WithTrackOverride(Track.Leaders, "leads the team", "admin", At.AddDays(2)), CancellationToken.None);
        Assert.Equal(1, await store.EraseAsync(new PersonToErase(Cohort, Id(4), "erased-4", []), CancellationToken.None));
        // active 250 - 1 (E001) - 1 (E004) = 248; suspended E001 and E004's pseudonym; builders 83 + 1 (E002) - 1 (E003);
        // consumers 84 - 1 (E001) - 1 (E004); triage 83 - 1 (E002)
        (int, int, int, int, int, int, int) expected = (248, 2, 83, 82, 1, 82, 5);
        Assert.Equal(expected, Shape(await store.CountAsync(Cohort, CancellationToken.None)));

        // applied again (a retried activity): the same batches, a batch cut in a hundred (an older version's), a batch cut
        // elsewhere (E050-E148, named by a person no batch began with), the second import, the erasure: nothing moves
        await store.ApplyAsync(Cohort, "imp1", Joiners(1, 99), At, CancellationToken.None);
        await store.ApplyAsync(Cohort, "imp1", Joiners(199, 250), At, CancellationToken.None);
        await store.ApplyAsync(Cohort, "imp1", Joiners(100, 199), At, CancellationToken.None);
        await store.ApplyAsync(Cohort, "imp1", Joiners(50, 148), At, CancellationToken.None);
        await store.ApplyAsync(Cohort, "imp2", [new RosterChange(ChangeKind.Leave, Id(1), null, null, Track.Consumers, Track.Consumers, "leave", "left")], At.AddDays(1), CancellationToken.None);
        Assert.Equal(0, await store.EraseAsync(new PersonToErase(Cohort, Id(4), "erased-4", []), CancellationToken.None));
        Assert.Equal(expected, Shape(await store.CountAsync(Cohort, CancellationToken.None)));
        Assert.Equal(expected, Shape(await new TableRosterStore(table).CountAsync(Cohort, CancellationToken.None)));

        // the people read back are the people, never a count row: 249 under their ids and E004's pseudonym
        List<Participant> listed = await store.ListAllAsync(Cohort, CancellationToken.None);
        Assert.Equal(250, listed.Count);
        Assert.DoesNotContain(listed, p => p.EmployeeId.StartsWith('%'));
        Assert.Equal(255, (await store.LoadIndexAsync(Cohort, CancellationToken.None)).Count);
        Assert.Equal(83, (await store.ListAsync(Cohort, ParticipantGroup.Trained, Track.Builders, false, null, 1000, CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task TwoImportsReadFromTheSameRoster_EnrolEachPersonOnce_AndEachReportsWhatItApplied()
    {
        (TableRosterStore store, _, _) = NewStore();
        const string Cohort = "twice";
        // imp1 and imp2 were both read against the empty roster at the same time, so both list their people as joiners;
        // imp1's batch (E001-E099) commits first. imp2's batch: E089 on the leaders' track (imp1 left it in triage),
        // E090-E099 as imp1 put them, E100-E120 whom imp1 did not list
        IReadOnlyList<RosterChange> first = await store.ApplyAsync(Cohort, "imp1", Joiners(1, 99), At, CancellationToken.None);
        List<RosterChange> second = [Joiner(89) with { To = Track.Leaders }, .. Joiners(90, 120)];
        IReadOnlyList<RosterChange> applied = await store.ApplyAsync(Cohort, "imp2", second, At.AddMinutes(1), CancellationToken.None);

        Assert.Equal(99, first.Count);
        List<string> expectedApplied = ["E089", .. Enumerable.Range(100, 21).Select(Id)];
        Assert.Equal(expectedApplied, applied.Select(c => c.EmployeeId));
        // E001-E099: builders (3, 6 … 99) 33, consumers (1, 4 … 97) 33, triage 33; then E089 from triage to the leaders;
        // E100-E120: builders (102 … 120) 7, consumers (100 … 118) 7, triage (101 … 119) 7
        (int, int, int, int, int, int, int) expected = (120, 0, 40, 40, 1, 39, 0);
        Assert.Equal(expected, Shape(await store.CountAsync(Cohort, CancellationToken.None)));
        // E095 joined once, by imp1, and imp2 wrote nothing to its row
        Participant e095 = (await store.GetAsync(Cohort, Id(95), CancellationToken.None))!;
        Assert.Equal(["imp1"], e095.History.Select(h => h.Source));
        Assert.Equal(At, e095.UpdatedAt);

        // imp2's batch run again (a retried activity): the same people applied, nothing moves
        Assert.Equal(expectedApplied, (await store.ApplyAsync(Cohort, "imp2", second, At.AddMinutes(2), CancellationToken.None)).Select(c => c.EmployeeId));
        Assert.Equal(expected, Shape(await store.CountAsync(Cohort, CancellationToken.None)));

        // imp3: E001 (a consumer) has a new job title, E002 moves from triage to the builders; both applied, and both
        // again when the batch runs again after it committed (the update leaves no history to know it by)
        List<RosterChange> third =
        [
            new(ChangeKind.Update, Id(1), 2, new HrRecord(Id(1), JobTitle: "Data Engineer"), Track.Consumers, Track.Consumers, "attributes", "HR attributes changed"),
            new(ChangeKind.Move, Id(2), 3, new HrRecord(Id(2)), null, Track.Builders, "title-data", "builds models"),
        ];
        Assert.Equal(["E001", "E002"], (await store.ApplyAsync(Cohort, "imp3", third, At.AddMinutes(3), CancellationToken.None)).Select(c => c.EmployeeId));
        Assert.Equal(["E001", "E002"], (await store.ApplyAsync(Cohort, "imp3", third, At.AddMinutes(4), CancellationToken.None)).Select(c => c.EmployeeId));
        Assert.Equal((120, 0, 41, 40, 1, 38, 0), Shape(await store.CountAsync(Cohort, CancellationToken.None)));
    }

    [Fact]
    public async Task ConcurrentBatchesOverridesAndReaders_LeaveTheCountsExact()
    {
        (TableRosterStore store, TableClient table, _) = NewStore();
        const string Cohort = "busy";
        // ten batches of 99 at once (E001-E990) while E001-E030 are overridden to the leaders' track as soon as they
        // are there and four readers read the counts (and fold what was written since)
        Task batches = Parallel.ForEachAsync(Enumerable.Range(0, 10), async (b, _) =>
            await store.ApplyAsync(Cohort, "imp1", Joiners((b * 99) + 1, (b + 1) * 99), At, CancellationToken.None));
        Task overrides = Parallel.ForEachAsync(Enumerable.Range(1, 30), async (i, _) =>
        {
            while (await store.UpdateAsync(Cohort, Id(i), p => p.WithTrackOverride(Track.Leaders, "by hand", "admin", At), CancellationToken.None) is null)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        });
        Task readers = Parallel.ForEachAsync(Enumerable.Range(0, 4), async (_, _) =>
        {
            for (int n = 0; n < 5; n++)
            {
                await store.CountAsync(Cohort, CancellationToken.None);
            }
        });
        await Task.WhenAll(batches, overrides, readers);

        // 990 people: builders 3, 6, … 990 (330), consumers 1, 4, … 988 (330), triage 2, 5, … 989 (330); E001-E030 then
        // leave their tracks for the leaders': 10 builders (3 … 30), 10 consumers (1 … 28), 10 from triage (2 … 29)
        (int, int, int, int, int, int, int) expected = (990, 0, 320, 320, 30, 320, 0);
        Assert.Equal(expected, Shape(await store.CountAsync(Cohort, CancellationToken.None)));
        Assert.Equal(expected, Shape(await new TableRosterStore(table).CountAsync(Cohort, CancellationToken.None)));
        Assert.Equal(expected, Shape(await store.CountAsync(Cohort, CancellationToken.None)));
    }

    [Fact]
    public async Task ReadingTheCounts_TakesTheSameRequestsForTenPeopleAsForAThousand()
    {
        (TableRosterStore store, _, CountingPolicy counter) = NewStore();
        const string Cohort = "grow";
        await store.ApplyAsync(Cohort, "imp1", Joiners(1, 10), At, CancellationToken.None);
        await store.CountAsync(Cohort, CancellationToken.None);
        (int readsForTen, long bytesForTen) = await counter.MeasureAsync(() => store.CountAsync(Cohort, CancellationToken.None));

        for (int b = 0; b < 10; b++)
        {
            await store.ApplyAsync(Cohort, "imp2", Joiners(11 + (b * 99), 10 + ((b + 1) * 99)), At, CancellationToken.None);
        }

        // the first read after the import reads its ten count rows and folds them
        (int firstReads, _) = await counter.MeasureAsync(async () => Assert.Equal(1_000, (await store.CountAsync(Cohort, CancellationToken.None)).Active));
        (int readsForThousand, long bytesForThousand) = await counter.MeasureAsync(() => store.CountAsync(Cohort, CancellationToken.None));

        Assert.True(firstReads <= 3, $"{firstReads} requests for the first read after the import (a query and a fold)");
        Assert.Equal(readsForTen, readsForThousand);
        Assert.True(readsForThousand <= 1, $"{readsForThousand} requests to read the counts");
        // one row either way; a scan of a thousand people would read well over 100 KB
        Assert.True(bytesForThousand < bytesForTen * 1.5 && bytesForThousand < 2 * 1024, $"{bytesForTen} bytes read for 10 people, {bytesForThousand} for 1,000");
    }

    [Fact]
    public async Task ARosterStoredBeforeTheCounts_IsCountedOnce_ThenKeptAsItChanges()
    {
        (TableRosterStore store, TableClient table, _) = NewStore();
        const string Cohort = "old";
        await store.ApplyAsync(Cohort, "imp1", Joiners(1, 12), At, CancellationToken.None);
        // as a store written before the counts left it: no count rows
        await foreach (TableEntity row in table.QueryAsync<TableEntity>($"PartitionKey eq '{Cohort}' and RowKey ge '%c|' and RowKey lt '%c}}'"))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var upgraded = new TableRosterStore(table); // a new process: nothing remembered
        // E001-E012: builders 3, 6, 9, 12; consumers 1, 4, 7, 10; triage 2, 5, 8, 11
        Assert.Equal((12, 0, 4, 4, 0, 4, 0), Shape(await upgraded.CountAsync(Cohort, CancellationToken.None)));

        // a new joiner (E013, a consumer) and E003 (a builder) moved by hand: counted once each, not counted again
        await upgraded.ApplyAsync(Cohort, "imp2", Joiners(13, 13), At, CancellationToken.None);
        await new TableRosterStore(table).UpdateAsync(Cohort, Id(3), p => p.WithTrackOverride(Track.Leaders, "by hand", "admin", At), CancellationToken.None);
        Assert.Equal((13, 0, 3, 5, 1, 4, 0), Shape(await upgraded.CountAsync(Cohort, CancellationToken.None)));
        Assert.Equal((13, 0, 3, 5, 1, 4, 0), Shape(await new TableRosterStore(table).CountAsync(Cohort, CancellationToken.None)));
    }

    [Fact]
    public async Task ACountReadOfMoreThanOnePage_WhileAnotherReaderFoldsBetweenItsPages_IsExact()
    {
        (TableRosterStore writer, TableClient table, _) = NewStore();
        const string Cohort = "pages";
        // 1,100 joiners, each in a batch of their own: the base row (nobody was there before) and 1,100 count rows, more
        // than one page of a query (a thousand rows)
        await Parallel.ForEachAsync(Enumerable.Range(1, 1100), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, ct) =>
            await writer.ApplyAsync(Cohort, "imp1", [Joiner(i)], At, ct));

        // a reader whose count query, before its second page, waits for another reader to read and fold every row: its
        // first page held the old base and 999 rows, its second page finds them folded into the base and gone
        var folder = new TableRosterStore(new TableClient(azurite.ConnectionString, table.Name));
        var between = new BeforeNextPage(() => folder.CountAsync(Cohort, CancellationToken.None));
        var options = new TableClientOptions();
        options.AddPolicy(between, HttpPipelinePosition.PerCall);
        var reader = new TableRosterStore(new TableClient(azurite.ConnectionString, table.Name, options));
        RosterCounts counts = await reader.CountAsync(Cohort, CancellationToken.None);

        Assert.True(between.Ran, "the other reader's fold did not run between the pages");
        // E1-E1100: builders are the multiples of three (3 … 1098: 366), consumers one more (1 … 1099: 367), the rest in
        // triage (2 … 1100: 367); the short read this guards against counted the old base and its first page's 999
        Assert.Equal((1100, 0, 366, 367, 0, 367, 0), Shape(counts));
        Assert.Equal((1100, 0, 366, 367, 0, 367, 0), Shape(await writer.CountAsync(Cohort, CancellationToken.None)));
    }

    /// <summary>Runs <c>between</c> once, before the first request for a query's next page.</summary>
    private sealed class BeforeNextPage(Func<Task> between) : HttpPipelinePolicy
    {
        public bool Ran { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The stores call the table asynchronously.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (!Ran && message.Request.Uri.ToUri().Query.Contains("NextRowKey", StringComparison.Ordinal))
            {
                Ran = true;
                await between();
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}

/// <summary>
/// A person found by email on Azurite (as an xAPI statement's mbox names them), whatever the case of either side, by a
/// query the store filters: the lookup reads one row, not the roster; a roster stored before the key was kept is keyed
/// on its first lookup.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class RosterEmailLookupTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);

    private static RosterChange Joiner(string id, string? email, ParticipantGroup group = ParticipantGroup.Trained) =>
        new(ChangeKind.Join, id, 2, new HrRecord(id, Email: email), null, Track.Builders, "rule", "reason", group);

    [Fact]
    public async Task APerson_IsFoundByEmail_InAnyCase_ReadingOneRow()
    {
        (TableClient table, CountingPolicy counter) = CountingPolicy.NewTable(azurite.ConnectionString, "e");
        var store = new TableRosterStore(table);
        const string Cohort = "mail";
        // 300 people with lowercase emails (p1@ … p300@), then Ana in capitals, Bo in the comparison group
        for (int b = 0; b < 3; b++)
        {
            await store.ApplyAsync(Cohort, "imp1", [.. Enumerable.Range((b * 99) + 1, 99).Select(i => Joiner($"E{i}", $"p{i}@example.com"))], At, CancellationToken.None);
        }

        await store.ApplyAsync(Cohort, "imp1", [Joiner("A1", "Ana.Lopez@Example.COM"), Joiner("E300", "p300@example.com")], At, CancellationToken.None);
        await store.ApplyAsync(Cohort, "cmp1", [Joiner("B1", "bo@example.com", ParticipantGroup.Comparison)], At, CancellationToken.None);

        async Task<string[]> Found(string email) => [.. (await store.FindByEmailAsync(Cohort, email, CancellationToken.None)).Select(p => p.EmployeeId)];
        Assert.Equal(["A1"], await Found("ana.lopez@example.com"));
        Assert.Equal(["A1"], await Found("ANA.LOPEZ@EXAMPLE.COM"));
        Assert.Equal(["A1"], await Found("Ana.Lopez@Example.COM"));
        Assert.Equal(["E17"], await Found("P17@Example.com"));
        Assert.Equal(["E300"], await Found("p300@example.com"));
        Assert.Equal(ParticipantGroup.Comparison, Assert.Single(await store.FindByEmailAsync(Cohort, "BO@example.com", CancellationToken.None)).Group);
        Assert.Empty(await Found("nobody@example.com"));
        Assert.Empty(await Found("p1@example.co"));

        // one query answering one row: reading 301 people would be tens of kilobytes
        (int requests, long bytes) = await counter.MeasureAsync(async () => Assert.Equal(["E250"], await Found("p250@example.com")));
        Assert.True(requests <= 1 && bytes < 2 * 1024, $"{requests} requests and {bytes} bytes for a lookup");
    }

    [Fact]
    public async Task ARosterStoredBeforeTheEmailKey_IsKeyedOnItsFirstLookup()
    {
        (TableClient table, _) = CountingPolicy.NewTable(azurite.ConnectionString, "e");
        var store = new TableRosterStore(table);
        const string Cohort = "old-mail";
        await store.ApplyAsync(Cohort, "imp1", [Joiner("A1", "Ana.Lopez@Example.COM"), Joiner("E2", "p2@example.com")], At, CancellationToken.None);
        // as a store written before the key left it: no key on the row, no marker
        TableEntity ana = (await table.GetEntityAsync<TableEntity>(Cohort, "A1")).Value;
        Assert.Equal("ana.lopez@example.com", ana.GetString("EmailKey"));
        ana.Remove("EmailKey");
        await table.UpdateEntityAsync(ana, ana.ETag, TableUpdateMode.Replace);
        await table.DeleteEntityAsync(Cohort, "%k|emails");

        var upgraded = new TableRosterStore(table); // a new process: nothing remembered
        Assert.Equal("A1", Assert.Single(await upgraded.FindByEmailAsync(Cohort, "ANA.lopez@example.com", CancellationToken.None)).EmployeeId);
        Assert.Equal("ana.lopez@example.com", (await table.GetEntityAsync<TableEntity>(Cohort, "A1")).Value.GetString("EmailKey"));
        Assert.Equal("E2", Assert.Single(await upgraded.FindByEmailAsync(Cohort, "P2@example.com", CancellationToken.None)).EmployeeId);
    }
}
