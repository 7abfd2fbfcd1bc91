using Azure.Storage.Blobs;
using Cohorts.Connectors.Blob;
using Cohorts.Domain.Enrolment;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>Listing a cohort's imports on Azurite: nothing before the first import (the container does not exist yet), then each import's id once.</summary>
[Collection(SharedAzurite.Name)]
public sealed class BlobImportStoreListTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ImportIds_AreListedPerCohort_AndNoneBeforeTheFirstImport()
    {
        var store = new BlobImportStore(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("i" + Guid.NewGuid().ToString("N")[..20]));
        Assert.Empty(await store.ListIdsAsync("c1", CancellationToken.None).ToListAsync());

        var settings = new ImportSettings(ImportSources.Csv, null, null, null, null, DryRun: true, Force: false, ImportSettings.DefaultLeaverThreshold);
        DateTimeOffset at = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        foreach ((string cohort, string id) in new[] { ("c1", "20261127090000-aaaaaaaa"), ("c1", "20261127090100-bbbbbbbb"), ("c10", "20261127090200-cccccccc") })
        {
            await store.CreateAsync(new ImportRecord(cohort, id, ImportState.Reading, settings, at, at, 0), CancellationToken.None);
        }

        Assert.Equal(["20261127090000-aaaaaaaa", "20261127090100-bbbbbbbb"], (await store.ListIdsAsync("c1", CancellationToken.None).ToListAsync()).Order());
        Assert.Equal(["20261127090200-cccccccc"], await store.ListIdsAsync("c10", CancellationToken.None).ToListAsync());
    }
}
