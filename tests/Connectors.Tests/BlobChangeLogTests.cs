using Azure.Storage.Blobs;
using Cohorts.Connectors.Blob;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// An import's change log read a window at a time on Azurite, as the apply's calls read it: each window holds exactly
/// the changes at its positions, whether it starts on an indexed line (0, 100, 200…), between two, past the end, or in
/// a log written without an index or rewritten after its index was made, and whether it ends on an indexed line,
/// between two or past the log's end (the bytes read are those from the indexed line before it to the one after). The
/// log is stored compressed; one stored as text before is read as it was.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class BlobChangeLogTests(AzuriteFixture azurite)
{
    private const int Changes = 250;

    // (skip, take) → the employee ids E{skip} … E{skip + take − 1} that exist
    [Theory]
    [InlineData(0, 100)]
    [InlineData(100, 100)]
    [InlineData(200, 100)]
    [InlineData(150, 60)]
    [InlineData(99, 2)]
    [InlineData(249, 10)]
    [InlineData(300, 100)]
    [InlineData(0, int.MaxValue)]
    [InlineData(120, int.MaxValue)]
    [InlineData(100, 50)]
    [InlineData(200, 50)]
    [InlineData(250, 10)]
    [InlineData(40, 0)]
    [InlineData(199, 1)]
    public async Task AWindow_HoldsTheChangesAtItsPositions(int skip, int take)
    {
        (BlobImportStore store, _) = await WrittenAsync();

        List<RosterChange> read = await store.ReadChangesAsync("c1", "i1", skip, take, CancellationToken.None).ToListAsync();

        Assert.Equal(Expected(skip, take), read.Select(c => c.EmployeeId));
    }

    [Fact]
    public async Task ALogRewrittenAfterItsIndex_OrWithoutOne_IsReadFromItsStart()
    {
        (BlobImportStore store, BlobContainerClient container) = await WrittenAsync();
        // the log rewritten with longer lines (as an erasure rewrites it), its index left as it was: the offsets are stale
        string longer = string.Join('\n', Enumerable.Range(0, Changes).Select(i => $"{{\"kind\":\"join\",\"employeeId\":\"E{i}\",\"rule\":\"{new string('r', 40)}\",\"reason\":\"x\",\"group\":\"trained\"}}")) + "\n";
        await container.GetBlobClient("c1/i1/changes.ndjson").UploadAsync(BinaryData.FromString(longer), overwrite: true);
        Assert.Equal(Expected(150, 20), (await store.ReadChangesAsync("c1", "i1", 150, 20, CancellationToken.None).ToListAsync()).Select(c => c.EmployeeId));

        // and with no index at all (a log written before logs had one)
        await container.GetBlobClient("c1/i1/changes.index").DeleteAsync();
        Assert.Equal(Expected(200, 5), (await store.ReadChangesAsync("c1", "i1", 200, 5, CancellationToken.None).ToListAsync()).Select(c => c.EmployeeId));
    }

    [Fact]
    public async Task TheLogIsStoredCompressed_AndALogStoredAsText_WithItsIndex_IsReadByWindowAsBefore()
    {
        (BlobImportStore store, BlobContainerClient container) = await WrittenAsync();
        byte[] stored = (await container.GetBlobClient("c1/i1/changes.ndjson").DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal([0x1F, 0x8B], stored[..2]);

        // a log and index as stores wrote them before logs were compressed: text, offsets of lines
        (byte[] text, List<long> offsets) = TextChangeLog.Of(Changes250());
        BlobClient log = container.GetBlobClient("c1/i2/changes.ndjson");
        Azure.ETag tag = (await log.UploadAsync(new BinaryData(text), overwrite: true)).Value.ETag;
        await container.GetBlobClient("c1/i2/changes.index").UploadAsync(BinaryData.FromString(tag + "\n" + string.Join('\n', offsets)), overwrite: true);

        Assert.Equal(Expected(150, 60), (await store.ReadChangesAsync("c1", "i2", 150, 60, CancellationToken.None).ToListAsync()).Select(c => c.EmployeeId));
        Assert.Equal(Expected(0, int.MaxValue), (await store.ReadChangesAsync("c1", "i2", 0, int.MaxValue, CancellationToken.None).ToListAsync()).Select(c => c.EmployeeId));
    }

    private static IEnumerable<string> Expected(int skip, int take) =>
        Enumerable.Range(skip, Math.Max(0, Math.Min(take, Changes - skip))).Select(i => $"E{i}");

    private async Task<(BlobImportStore, BlobContainerClient)> WrittenAsync()
    {
        BlobContainerClient container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("l" + Guid.NewGuid().ToString("N")[..20]);
        await container.CreateIfNotExistsAsync();
        var store = new BlobImportStore(container);
        Assert.Equal(Changes, await store.WriteChangesAsync("c1", "i1", Changes250().ToAsyncEnumerable(), CancellationToken.None));
        return (store, container);
    }

    // lines of different lengths (ids of 2 to 4 characters, every third with an HR record), so offsets are not a multiple of anything
    private static IEnumerable<RosterChange> Changes250() => Enumerable.Range(0, Changes).Select(i => new RosterChange(
        ChangeKind.Join, $"E{i}", i + 2, i % 3 == 0 ? new HrRecord($"E{i}", JobTitle: "Analyst " + new string('x', i % 17)) : null, null, Track.Builders, "r", "why"));
}
