using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Threading.Channels;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Json;

/// <summary>
/// An import's changes as NDJSON, one change per line, stored compressed (<see cref="WriteCompressedAsync"/>); logs stored
/// before were the text itself, and <see cref="TextOfAsync"/> reads either.
/// </summary>
public static class ChangeLog
{
    /// <summary>Lines between the byte offsets <see cref="WriteCompressedAsync"/> records: a reader may start at any multiple.</summary>
    public const int IndexStride = 100;

    private const int FlushAt = 64 * 1024;

    // changes handed to the compressed writer's packer at once: two strides
    private const int BatchSize = 2 * IndexStride;

    /// <summary>
    /// Writes every change to <paramref name="target"/> as a line of JSON (<see cref="RosterChangeJson"/>), each
    /// <see cref="IndexStride"/> lines a gzip member of their own, 64 KiB of members at a time; returns how many, and adds
    /// the byte offset of each member to <paramref name="memberOffsets"/>: a reader may start at any member and decompress from there (concatenated members are one gzip stream). An export's
    /// lines repeat their field names, rules and reasons: a 100k-row log is 38 MB as text and 5.4 MB so, which the store
    /// took half a second to take in. The changes are serialized, compressed and written on a task of their own while the
    /// source is read and diffed, so that the diff waits on none of it.
    /// </summary>
    public static async Task<int> WriteCompressedAsync(Stream target, IAsyncEnumerable<RosterChange> changes, List<long> memberOffsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(memberOffsets);
        // the changes go to the packer two hundred at a time (a wake-up per two hundred, not per change), at most a thousand
        // waiting (the store may pause it while it takes a block in): changes kept waiting longer outlived the young
        // generation, and a 100k import's collections of the older one went from one to three
        Channel<RosterChange[]> batches = Channel.CreateBounded<RosterChange[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        Task packed = PackAsync(batches, target, memberOffsets, cancellationToken);
        int count = 0;
        var batch = new List<RosterChange>(BatchSize);
        try
        {
            await foreach (RosterChange change in changes.WithCancellation(cancellationToken))
            {
                batch.Add(change);
                count++;
                if (batch.Count == BatchSize)
                {
                    await batches.Writer.WriteAsync([.. batch], cancellationToken);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await batches.Writer.WriteAsync([.. batch], cancellationToken);
            }

            batches.Writer.Complete();
        }
        catch (Exception problem)
        {
            // the packer stops at once; the reason it failed, if it did, is the one that counts
            batches.Writer.TryComplete(problem);
            await packed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (packed.IsFaulted && problem is ChannelClosedException)
            {
                await packed;
            }

            throw;
        }

        await packed;
        return count;
    }

    /// <summary>Reads a log <see cref="WriteCompressedAsync"/> wrote, or one stored as text before, from a member's start or the log's: its text.</summary>
    public static async Task<Stream> TextOfAsync(Stream log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        // a log's first bytes say which it is (a line starts with '{', a gzip member with 1F 8B); they are looked at and left
        PipeReader reader = PipeReader.Create(log);
        ReadResult start = await reader.ReadAtLeastAsync(2, cancellationToken);
        bool compressed = start.Buffer.Slice(0, Math.Min(2, start.Buffer.Length)).ToArray() is [0x1F, 0x8B];
        reader.AdvanceTo(start.Buffer.Start);
        Stream text = reader.AsStream();
        return compressed ? new GZipStream(text, CompressionMode.Decompress) : text;
    }

    private static void Line(ArrayBufferWriter<byte> buffer, RosterChange change, RosterChangeJson.EncodedTexts texts)
    {
        RosterChangeJson.Write(buffer, change, texts);
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
    }

    // each stride serialized and made a gzip member, its offset noted, written to the target 64 KiB at a time; a failure
    // closes the channel with its reason, so that the reading stops instead of waiting on a full channel
    private static async Task PackAsync(Channel<RosterChange[]> batches, Stream target, List<long> memberOffsets, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the reading and the diff go on while this serializes and packs
        using var members = new MemoryStream(FlushAt * 2);
        var text = new ArrayBufferWriter<byte>(FlushAt);
        var texts = new RosterChangeJson.EncodedTexts();
        long flushed = 0;
        try
        {
            await foreach (RosterChange[] batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                for (int first = 0; first < batch.Length; first += IndexStride)
                {
                    text.ResetWrittenCount();
                    for (int i = first; i < Math.Min(first + IndexStride, batch.Length); i++)
                    {
                        Line(text, batch[i], texts);
                    }

                    memberOffsets.Add(flushed + members.Length);
                    using (var zip = new GZipStream(members, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        zip.Write(text.WrittenSpan);
                    }
                }

                if (members.Length >= FlushAt)
                {
                    await target.WriteAsync(members.GetBuffer().AsMemory(0, (int)members.Length), cancellationToken);
                    flushed += members.Length;
                    members.SetLength(0);
                }
            }

            await target.WriteAsync(members.GetBuffer().AsMemory(0, (int)members.Length), cancellationToken);
            await target.FlushAsync(cancellationToken);
        }
        catch (Exception problem)
        {
            batches.Writer.TryComplete(problem);
            throw;
        }
    }
}
