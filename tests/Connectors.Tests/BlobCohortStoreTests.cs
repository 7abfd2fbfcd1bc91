using Azure.Storage.Blobs;
using Cohorts.Connectors.Blob;
using Cohorts.Domain;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

[Collection(SharedAzurite.Name)]
public sealed class BlobCohortStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);

    // a fresh container per test, which the store must create on first use
    private BlobCohortStore NewStore() =>
        new(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("t" + Guid.NewGuid().ToString("N")[..20]));

    private static CohortRecord Record(string id, string fingerprint, params string[] checkpoints) =>
        CohortRecord.New(
            CohortPlanFactory.Create(
                new CohortPlanDraft
                {
                    Id = id,
                    Name = "Claims",
                    UseCase = new UseCaseDraft { Title = "t", Problem = "p", SandboxUrl = "https://sandbox.example.com/claims" },
                    Checkpoints = checkpoints,
                    Leaders = ["l@example.com"],
                    ProgramLead = "p@example.com",
                    Baseline = new BaselineDraft { AdvisoryHoursPerMonth = 12.5, TimeToProduction = "P45D" },
                },
                Start).Plan!,
            fingerprint,
            Start);

    [Fact]
    public async Task Create_ThenGet_RoundTripsTheWholeRecord()
    {
        BlobCohortStore store = NewStore();
        CohortRecord record = Record("rt", "fp", "PT5S", "P30D");

        (CohortRecord stored, bool created) = await store.CreateAsync(record, CancellationToken.None);
        CohortRecord? read = await store.GetAsync("rt", CancellationToken.None);

        Assert.True(created);
        Assert.Same(record, stored);
        Assert.NotNull(read);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromDays(30)], read.Plan.Checkpoints);
        Assert.Equal(TimeSpan.FromDays(45), read.Plan.Baseline!.TimeToProduction);
        Assert.Equal(new Uri("https://sandbox.example.com/claims"), read.Plan.UseCase.SandboxUrl);
        Assert.Equal(Start, read.Plan.StartsAt);
        Assert.Equal(record.Plan.Tracks, read.Plan.Tracks);
    }

    [Fact]
    public async Task Create_SameIdTwice_KeepsTheFirstAndSaysItExisted()
    {
        BlobCohortStore store = NewStore();
        await store.CreateAsync(Record("dup", "first", "PT5S"), CancellationToken.None);

        (CohortRecord stored, bool created) = await store.CreateAsync(Record("dup", "second", "PT9S"), CancellationToken.None);

        Assert.False(created);
        Assert.Equal("first", stored.Fingerprint);
    }

    [Fact]
    public async Task Create_ConcurrentlyWithOneId_CreatesExactlyOnce()
    {
        BlobCohortStore store = NewStore();
        await store.CreateAsync(Record("warm", "x", "PT5S"), CancellationToken.None); // container exists

        (CohortRecord, bool)[] results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.CreateAsync(Record("race", $"fp{i}", "PT5S"), CancellationToken.None)));

        Assert.Single(results, r => r.Item2);
        Assert.Single(results.Select(r => r.Item1.Fingerprint).Distinct());
    }

    [Fact]
    public async Task Update_ConcurrentWriters_LoseNoChange()
    {
        BlobCohortStore store = NewStore();
        string[] offsets = Enumerable.Range(1, 6).Select(i => $"PT{i}S").ToArray();
        await store.CreateAsync(Record("etag", "fp", offsets), CancellationToken.None);

        // six writers each add their own checkpoint at once: ETag conflicts are retried against the newer version
        await Task.WhenAll(Enumerable.Range(1, 6).Select(ordinal =>
            store.UpdateAsync("etag", r => r.WithCheckpoint(new CheckpointSnapshot(ordinal, Start.AddSeconds(ordinal), Start.AddSeconds(ordinal), 0)), CancellationToken.None)));

        CohortRecord final = (await store.GetAsync("etag", CancellationToken.None))!;
        Assert.Equal([1, 2, 3, 4, 5, 6], final.Checkpoints.Select(c => c.Ordinal).Order());
    }

    [Fact]
    public async Task Update_UnknownCohort_SaysWhich()
    {
        BlobCohortStore store = NewStore();
        await store.CreateAsync(Record("present", "fp", "PT5S"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.UpdateAsync("absent", r => r, CancellationToken.None));
        Assert.Contains("absent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownCohort_IsNull()
    {
        BlobCohortStore store = NewStore();
        await store.CreateAsync(Record("present", "fp", "PT5S"), CancellationToken.None);

        Assert.Null(await store.GetAsync("absent", CancellationToken.None));
    }
}
