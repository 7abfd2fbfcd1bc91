using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cohorts.Connectors.Json;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// The change log's own writer against the general serializer with the same options, nulls left out: byte for byte the
/// same line for every kind of change, with and without an HR record, every track and group, nulls, a hire date, text
/// that needs escaping; and what it writes reads back to the same change, as a line written with its nulls (as logs
/// stored before were) still does.
/// </summary>
public sealed class ChangeLogTests
{
    public static TheoryData<RosterChange> Changes() => new(All());

    private static List<RosterChange> All()
    {
        var full = new HrRecord(
            "E-1", "ana@example.com", "ana@corp.example", "Ana \"Nan\" Ito", "M-9", "Datenwissenschaftlerin", "Risk & Compliance",
            "Data", "L5", "builders", Terminated: false, new DateOnly(2021, 3, 4), "2511");
        var sparse = new HrRecord("E 2");
        var data = new List<RosterChange>
        {
            new RosterChange(ChangeKind.Join, "E-1", 2, full, null, Track.Builders, "explicit-track", "the source names the track 'builders'"),
            new RosterChange(ChangeKind.Join, "E 2", 3, sparse, null, null, "triage", "no rule matched; an admin places this person"),
            new RosterChange(ChangeKind.Leave, "E-3", null, null, Track.Governors, Track.Governors, "absent", "not in the source any more", ParticipantGroup.Comparison),
            new RosterChange(ChangeKind.Update, "E-4", 1_000_000, sparse with { Terminated = true, JobTitle = "Ingénieur\tIA\u2028✓ 🧪" }, Track.Leaders, Track.Leaders, "attributes", "line\nbreak \\ slash </script>"),
            new RosterChange(ChangeKind.Join, "o'brien+1", 0, sparse with { Email = "o'brien+tag@example.com", Department = "R&D <Labs> `x` {y} ~\u007f", DisplayName = "Zoë Ødegård", JobLevel = "\u0000\u001f" }, null, Track.Builders, "r", "why"),
        };
        foreach (ChangeKind kind in Enum.GetValues<ChangeKind>())
        {
            foreach (Track track in Enum.GetValues<Track>())
            {
                data.Add(new RosterChange(kind, $"K{(int)kind}T{(int)track}", 7, full, track, track, "r", "why", ParticipantGroup.Trained));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void WritesWhatTheSerializerWrites(RosterChange change)
    {
        string expected = Serialized(w => JsonSerializer.Serialize(w, change, WithoutNulls));
        Assert.Equal(expected, Written(b => RosterChangeJson.Write(b, change)));
        // the rule and reason written from their encoded form, the second time from the cache
        var texts = new RosterChangeJson.EncodedTexts();
        Assert.Equal(expected, Written(b => RosterChangeJson.Write(b, change, texts)));
        Assert.Equal(expected, Written(b => RosterChangeJson.Write(b, change, texts)));
        Assert.Equal(change, JsonSerializer.Deserialize<RosterChange>(Serialized(w => JsonSerializer.Serialize(w, change, CohortsJson.Options)), CohortsJson.Options));
    }

    [Fact]
    public async Task TheLogReadsBackChangeForChange()
    {
        List<RosterChange> changes = All();
        using var log = new MemoryStream();
        int written = await ChangeLog.WriteCompressedAsync(log, changes.ToAsyncEnumerable(), [], CancellationToken.None);

        string[] lines = Encoding.UTF8.GetString(await TextAsync(log.ToArray())).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(changes.Count, written);
        Assert.Equal(changes, lines.Select(line => JsonSerializer.Deserialize<RosterChange>(line, CohortsJson.Options)!).ToList());
    }

    // 250 changes (every kind, track and escaping case, over and over): members at lines 0, 100 and 200, handed to the
    // packer at once; 2,050: 21 members, handed on in three goes of up to ten
    [Theory]
    [InlineData(250, 3)]
    [InlineData(2_050, 21)]
    public async Task TheCompressedLog_IsTheSameTextInAMemberPerHundredLines_ReadFromAnyMember(int count, int expectedMembers)
    {
        List<RosterChange> changes = [.. Enumerable.Range(0, count).Select(i => All()[i % All().Count] with { EmployeeId = $"E{i}" })];
        byte[] plain = TextChangeLog.Of(changes).Text;
        using var packed = new MemoryStream();
        var members = new List<long>();

        int written = await ChangeLog.WriteCompressedAsync(packed, changes.ToAsyncEnumerable(), members, CancellationToken.None);

        Assert.Equal(count, written);
        Assert.Equal(expectedMembers, members.Count);
        Assert.Equal(0, members[0]);
        byte[] log = packed.ToArray();
        Assert.All(members, at => Assert.Equal([0x1F, 0x8B], log[(int)at..((int)at + 2)])); // each a gzip member's start
        Assert.True(log.Length * 3 < plain.Length, $"{log.Length} bytes compressed of {plain.Length}");
        Assert.Equal(plain, await TextAsync(log));                                     // the same bytes, every member read on
        // from the last member on: its lines exactly (200-249, 2,000-2,049)
        string[] tail = Encoding.UTF8.GetString(await TextAsync(log[(int)members[^1]..])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(changes[((expectedMembers - 1) * 100)..], tail.Select(line => JsonSerializer.Deserialize<RosterChange>(line, CohortsJson.Options)!));
        // a log written as text (before logs were compressed) reads as it is
        Assert.Equal(plain, await TextAsync(plain));
        Assert.Empty(await TextAsync([]));
    }

    [Fact]
    public async Task TheCompressedWriter_StopsWithTheStoresFailure_OrTheSourcesOne_InsteadOfWaiting()
    {
        // 100,000 changes and a store that fails its second write: the writer stops with the store's reason, while the
        // changes still come (a writer waiting on a full channel would never end)
        List<RosterChange> many = [.. Enumerable.Range(0, 100_000).Select(i => All()[0] with { EmployeeId = $"E{i}" })];
        var store = new FailingStream(failAt: 2);
        IOException failed = await Assert.ThrowsAsync<IOException>(() => ChangeLog.WriteCompressedAsync(store, many.ToAsyncEnumerable(), [], CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("the store is gone", failed.Message);

        // a source that fails after 150 changes: its own exception, not the channel's
        async IAsyncEnumerable<RosterChange> Broken()
        {
            foreach (RosterChange change in many.Take(150))
            {
                yield return change;
            }

            await Task.Yield();
            throw new InvalidDataException("row 152 cannot be read");
        }

        InvalidDataException source = await Assert.ThrowsAsync<InvalidDataException>(() => ChangeLog.WriteCompressedAsync(new MemoryStream(), Broken(), [], CancellationToken.None));
        Assert.Equal("row 152 cannot be read", source.Message);
    }

    private static async Task<byte[]> TextAsync(byte[] log)
    {
        using var copy = new MemoryStream();
        await using (Stream text = await ChangeLog.TextOfAsync(new MemoryStream(log), CancellationToken.None))
        {
            await text.CopyToAsync(copy);
        }

        return copy.ToArray();
    }

    /// <summary>A store that takes writes until its <c>failAt</c>-th, which fails.</summary>
    private sealed class FailingStream(int failAt) : MemoryStream
    {
        private int writes;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ++writes >= failAt ? ValueTask.FromException(new IOException("the store is gone")) : base.WriteAsync(buffer, cancellationToken);
    }

    private static readonly JsonSerializerOptions WithoutNulls = new(CohortsJson.Options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    // compact, escaping only what JSON requires: as the API writes
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Written(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Serialized(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
